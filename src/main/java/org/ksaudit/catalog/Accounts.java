package org.ksaudit.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * User and group names as getpwnam / getgrnam find them on the machine that loads the rules
 * (/etc/passwd, /etc/group). A dump written on another machine may name accounts this one
 * lacks; iptables refuses those, and so does ksaudit, with a hint.
 */
final class Accounts {
  private static final Map<String, Long> USERS = read(Path.of("/etc/passwd"));
  private static final Map<String, Long> GROUPS = read(Path.of("/etc/group"));

  private Accounts() {}

  static Optional<Long> id(String name, boolean group) {
    return Optional.ofNullable((group ? GROUPS : USERS).get(name));
  }

  private static Map<String, Long> read(Path p) {
    Map<String, Long> m = new HashMap<>();
    try {
      if (!Files.isReadable(p)) return m;
      for (String line : Files.readAllLines(p)) {
        String[] f = line.split(":", -1);
        if (f.length < 3) continue;
        try {
          m.putIfAbsent(f[0], Long.parseLong(f[2]));
        } catch (NumberFormatException e) {
          // a malformed entry resolves nothing, as getpwnam skips it
        }
      }
    } catch (IOException | RuntimeException e) {
      // without the file no name resolves: numeric ids still work
    }
    return m;
  }
}
