package org.ksaudit.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Service names for ports ({@code --dport ssh}). iptables resolves them with getservbyname
 * or getaddrinfo, i.e. from /etc/services of the machine that loads the rules; ksaudit reads
 * the same file and falls back to a small built-in table when it is absent. Names are
 * case-sensitive, aliases count.
 */
public final class Services {
  private static final Map<String, Integer> TABLE = load();
  /** The protocols getaddrinfo tries when no socket type is given. */
  private static final List<String> ANY = List.of("tcp", "udp", "sctp", "dccp");

  private Services() {}

  /** getservbyname(name, proto). */
  public static Optional<Integer> port(String name, String proto) {
    return Optional.ofNullable(TABLE.get(key(name, proto)));
  }

  /** getaddrinfo(NULL, name, NULL): the name for any protocol. */
  public static Optional<Integer> anyProtocol(String name) {
    for (String p : ANY) {
      Integer v = TABLE.get(key(name, p));
      if (v != null) return Optional.of(v);
    }
    return Optional.empty();
  }

  private static String key(String name, String proto) {
    return name + "/" + proto;
  }

  private static Map<String, Integer> load() {
    Map<String, Integer> m = new HashMap<>();
    Path etc = Path.of("/etc/services");
    try {
      if (Files.isReadable(etc)) {
        for (String line : Files.readAllLines(etc)) parseLine(line, m);
        if (!m.isEmpty()) return m;
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the built-in table: an unreadable /etc/services is not the user's error
    }
    for (String line : BUILTIN) parseLine(line, m);
    return m;
  }

  private static void parseLine(String line, Map<String, Integer> m) {
    int hash = line.indexOf('#');
    if (hash >= 0) line = line.substring(0, hash);
    String[] f = line.trim().split("\\s+");
    if (f.length < 2) return;
    int slash = f[1].indexOf('/');
    if (slash < 0) return;
    try {
      int port = Integer.parseInt(f[1].substring(0, slash));
      String proto = f[1].substring(slash + 1);
      for (int i = 0; i < f.length; i++) {
        if (i == 1) continue;
        m.putIfAbsent(key(f[i], proto), port);
      }
    } catch (NumberFormatException e) {
      // a malformed line in /etc/services is skipped, as getservbyname does
    }
  }

  private static final String[] BUILTIN = {
    "ftp-data 20/tcp", "ftp 21/tcp", "ssh 22/tcp", "telnet 23/tcp", "smtp 25/tcp", "domain 53/tcp",
    "domain 53/udp", "bootps 67/udp", "bootpc 68/udp", "tftp 69/udp", "http 80/tcp www", "pop3 110/tcp",
    "ntp 123/udp", "imap2 143/tcp imap", "snmp 161/udp", "https 443/tcp", "https 443/udp",
    "submissions 465/tcp ssmtp smtps", "isakmp 500/udp", "submission 587/tcp", "imaps 993/tcp",
    "pop3s 995/tcp", "openvpn 1194/tcp", "openvpn 1194/udp", "domain-s 853/tcp", "domain-s 853/udp",
    "ipsec-nat-t 4500/udp", "http-alt 8080/tcp webcache"
  };
}
