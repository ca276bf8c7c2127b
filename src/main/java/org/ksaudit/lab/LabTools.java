package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
      Map.entry("wg", "wireguard-tools"));

  /** Throws a LabException naming what is missing (root, programs) and the apt-get line that installs it. */
  public static void require(List<String> programs) throws LabException {
    List<String> missing = new ArrayList<>();
    Set<String> packages = new LinkedHashSet<>();
    for (String p : programs) {
      if (!Exec.onPath(p)) {
        missing.add(p);
        packages.add(PACKAGE.getOrDefault(p, p));
      }
    }
    boolean root = isRoot();
    if (missing.isEmpty() && root) return;
    StringBuilder m = new StringBuilder("the lab cannot be built:");
    if (!root) m.append(" it needs root (network namespaces and iptables); run it as root or with sudo.");
    if (!missing.isEmpty()) {
      m.append(" missing ").append(String.join(", ", missing))
          .append("; install with: apt-get install -y ").append(String.join(" ", packages));
    }
    throw new LabException(m.toString());
  }

  static boolean isRoot() {
    Exec.Result r = Exec.run("id", "-u");
    return r.ok() && r.stdout().strip().equals("0");
  }
}
