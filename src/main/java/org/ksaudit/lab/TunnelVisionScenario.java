package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.model.Family;

/**
 * {@code tunnelvision} (CVE-2024-3661): with the tunnel up, a rogue DHCP server on the LAN
 * pushes classless static routes (option 121) through the router and the client's DHCP
 * client installs them. Routes longer than the VPN's win: four /2 routes beat OpenVPN's two /1
 * routes (equal /1 routes would not: the one added last wins, and the VPN adds after DHCP),
 * so everything but the VPN server's own host route leaves through the LAN while the VPN
 * stays connected. A killswitch tied to interfaces drops it (a denial of service); one that
 * trusts the routes lets it out (a leak). The report says which.
 */
final class TunnelVisionScenario {
  private TunnelVisionScenario() {}

  /** Pushed routes: a default route (option 3 is ignored once 121 is present), then the whole IPv4 space in /2s. */
  static final List<String> PUSHED = List.of("0.0.0.0/0", "0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2");

  static ScenarioResult run(ScenarioDriver d) throws LabException {
    Lab lab = d.lab();
    LabPlan plan = lab.plan();
    boolean up = d.vpnUp(Vpn.Carried.BOTH);
    List<String> notes = new ArrayList<>();
    ScenarioResult r;
    try (RogueDhcpServer server = RogueDhcpServer.start(lab, PUSHED); DhcpClient client = DhcpClient.start(lab)) {
      List<String> installed = pushedRoutes(lab);
      notes.add("a rogue DHCP server on the LAN pushed " + String.join(", ", PUSHED) + " via " + plan.router4()
          + " (option 121); dhclient installed " + (installed.isEmpty() ? "none of them" : String.join("; ", installed)));
      r = d.measure(Scenario.TUNNELVISION, up, notes, List.of());
    } finally {
      removePushedRoutes(lab);
    }
    notes.add(verdict(r, plan));
    return new ScenarioResult(r.scenario(), r.tunnelUp(), notes, r.outcomes());
  }

  /** Leak or denial of service: what the pushed routes sent out of the LAN interface, and what the rules did with it. */
  private static String verdict(ScenarioResult r, LabPlan plan) {
    long leaks = r.leaks();
    long refused = r.outcomes().stream()
        .filter(o -> o.oif().map(plan.uplink()::equals).orElse(false) && !o.inClear() && o.probe().family() == Family.IPV4)
        .count();
    if (leaks > 0) {
      return "the killswitch trusts the routes: " + leaks + " probe" + (leaks == 1 ? "" : "s") + " left in clear around the tunnel (a leak)";
    }
    return "the killswitch holds: the " + refused + " IPv4 probe" + (refused == 1 ? "" : "s") + " the routes sent out " + plan.uplink()
        + " instead of " + plan.tunnelInterface() + " went nowhere (a denial of service, not a leak)";
  }

  private static List<String> pushedRoutes(Lab lab) throws LabException {
    String out = lab.client().execOrThrow("ip", "-4", "route", "show").stdout();
    return out.lines().map(String::strip).filter(l -> PUSHED.stream().skip(1).anyMatch(c -> l.startsWith(c + " "))).toList();
  }

  /** The /2 routes go; the default route was the lab's own before DHCP (dhclient's add of it failed, EEXIST). */
  private static void removePushedRoutes(Lab lab) throws LabException {
    StringBuilder b = new StringBuilder();
    for (String c : PUSHED.subList(1, PUSHED.size())) {
      b.append("ip -4 route del ").append(c).append(" dev ").append(lab.plan().uplink()).append(" 2>/dev/null;\n");
    }
    lab.client().execOrThrow("sh", "-c", b.append("true\n").toString());
  }
}
