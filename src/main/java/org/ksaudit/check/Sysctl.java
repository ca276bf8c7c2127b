package org.ksaudit.check;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Kernel settings read from sysctl files ({@code key = value} lines, as in /etc/sysctl.conf
 * and sysctl.d); later files and lines override earlier ones, as {@code sysctl --system} does.
 */
public record Sysctl(Map<String, String> values) {
  public Sysctl {
    values = Map.copyOf(values);
  }

  public static Sysctl empty() {
    return new Sysctl(Map.of());
  }

  /** Reads one file's text; lines that are not settings (comments, blanks) are skipped. */
  public static Sysctl parse(String text) {
    Map<String, String> m = new LinkedHashMap<>();
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.startsWith("-")) line = line.substring(1).strip();
      int eq = line.indexOf('=');
      if (eq <= 0) continue;
      m.put(normalize(line.substring(0, eq)), line.substring(eq + 1).strip());
    }
    return new Sysctl(m);
  }

  public Sysctl merge(Sysctl later) {
    Map<String, String> m = new LinkedHashMap<>(values);
    m.putAll(later.values);
    return new Sysctl(m);
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(values.get(normalize(key)));
  }

  /** A boolean setting: present and an integer other than 0. */
  public Optional<Boolean> flag(String key) {
    return value(key).map(v -> {
      try {
        return Long.parseLong(v.strip()) != 0;
      } catch (NumberFormatException e) {
        return false;
      }
    });
  }

  /** How completely the settings switch IPv6 off. */
  public Ipv6 ipv6() {
    boolean all = flag("net.ipv6.conf.all.disable_ipv6").orElse(false);
    boolean dflt = flag("net.ipv6.conf.default.disable_ipv6").orElse(false);
    if (all && dflt) return Ipv6.DISABLED;
    if (all || dflt) return Ipv6.PARTLY_DISABLED;
    return Ipv6.NOT_DISABLED;
  }

  /** Whether the host forwards packets of a family: the setting if given, else unknown. */
  public Optional<Boolean> forwarding(org.ksaudit.model.Family family) {
    return family == org.ksaudit.model.Family.IPV4
        ? flag("net.ipv4.ip_forward").or(() -> flag("net.ipv4.conf.all.forwarding"))
        : flag("net.ipv6.conf.all.forwarding");
  }

  private static String normalize(String key) {
    return key.strip().replace('/', '.');
  }

  /** IPv6 state: "all" covers existing interfaces, "default" the ones created later. */
  public enum Ipv6 {
    DISABLED,
    PARTLY_DISABLED,
    NOT_DISABLED
  }
}
