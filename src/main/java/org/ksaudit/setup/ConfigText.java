package org.ksaudit.setup;

import java.util.Optional;

/** Value checks both config readers share; each failure names the file and line. */
final class ConfigText {
  private ConfigText() {}

  static int port(String file, int line, String text) throws VpnConfigException {
    if (text.matches("\\d{1,5}")) {
      int p = Integer.parseInt(text);
      if (p >= 1 && p <= 65535) return p;
    }
    throw new VpnConfigException(file + ":" + line + ": port '" + text + "' is not a number from 1 to 65535");
  }

  /** An interface name the kernel accepts: 1-15 bytes, no '/', ':' or blanks. */
  static boolean interfaceName(String name) {
    return name.length() >= 1 && name.length() <= 15 && name.matches("[^/:\\s]+") && !name.equals(".") && !name.equals("..");
  }

  /** A literal IPv4 or IPv6 address (without a prefix), or empty. */
  static Optional<String> address(String text) {
    Server probe = new Server(text, 1, "udp");
    return probe.numeric() ? Optional.of(text) : Optional.empty();
  }
}
