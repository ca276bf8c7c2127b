package org.ksaudit.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The host programs the lab runs, and the Debian package of each for the error message. */
public final class LabTools {
  private LabTools() {}

  private static final Map<String, String> PACKAGE = Map.ofEntries(
      Map.entry("ip", "iproute2"),
      Map.entry("iptables-restore", "iptables"),
      Map.entry("ip6tables-restore", "iptables"),
      Map.entry("iptables-save", "iptables"),
      Map.entry("ip6tables-save", "iptables"),
      Map.entry("python3", "python3"),
      Map.entry("openvpn", "openvpn"),
      Map.entry("openssl", "openssl"),
      Map.entry("wireguard-go", "wireguard-go"),
      Map.entry("wg", "wireguard-tools"),
      Map.entry("dnsmasq", "dnsmasq-base"),
      Map.entry("dhclient", "isc-dhcp-client"),
      Map.entry("unshare", "util-linux"),
      Map.entry("setpriv", "util-linux"));

  /** {@link #require(List, ToolPath)} with this process's PATH. */
  public static void require(List<String> programs) throws LabException {
    require(programs, ToolPath.fromEnvironment());
  }

  /**
   * Throws a LabException naming what is missing (root, programs), the Debian package of each
   * program and the apt-get line that installs them, before anything of the lab exists.
   */
  public static void require(List<String> programs, ToolPath path) throws LabException {
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    Map<Path, List<String>> outsidePath = new TreeMap<>();
    for (String p : programs) {
      if (path.find(p).isEmpty()) {
        String pkg = PACKAGE.getOrDefault(p, p);
        missing.add(p + " (package " + pkg + ")");
        packages.add(pkg);
        path.outsidePath(p).ifPresent(f -> outsidePath.computeIfAbsent(f.getParent(), d -> new ArrayList<>()).add(p));
      }
    }
    boolean root = isRoot();
    if (missing.isEmpty() && root) return;
    StringBuilder m = new StringBuilder("the lab cannot be built:");
    if (!root) m.append(" it needs root (network namespaces and iptables); run it as root or with sudo.");
    if (!missing.isEmpty()) {
      m.append(" missing ").append(String.join(", ", missing))
          .append("; install with: apt-get install -y ").append(String.join(" ", packages));
      outsidePath.forEach((dir, found) -> m.append("; ").append(dir).append(", which is not on PATH, has ")
          .append(String.join(", ", found)).append(": add it to PATH instead"));
    }
    throw new LabException(m.toString());
  }

  /** The effective user id from /proc, so the answer does not depend on a program on PATH. */
  static boolean isRoot() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("Uid:"))
          .map(l -> l.split("\\s+")).anyMatch(f -> f.length > 2 && f[2].equals("0"));
    } catch (IOException e) {
      return false;
    }
  }
}
