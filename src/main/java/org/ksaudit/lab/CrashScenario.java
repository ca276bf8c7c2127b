package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code crash}: the VPN client is killed with SIGKILL, as the OOM killer or a segfault ends
 * it. Nothing runs its down script: the tunnel device and the routes through it vanish with
 * the process (even with OpenVPN's {@code --persist-tun}, which only keeps the device across a
 * restart inside the process), while a route the client added outside the tunnel, such as
 * OpenVPN's host route to its server, stays. The report names what stayed.
 */
final class CrashScenario {
  private CrashScenario() {}

  static ScenarioResult run(ScenarioDriver d) throws LabException {
    Lab lab = d.lab();
    boolean up = d.vpnUp(Vpn.Carried.BOTH);
    d.killVpn();
    List<String> notes = new ArrayList<>();
    notes.add("the VPN client was killed with SIGKILL" + (up ? "" : " (the tunnel had not come up)") + "; "
        + lab.plan().tunnelInterface() + " vanished with it");
    List<String> stale = staleRoutes(lab);
    notes.add(stale.isEmpty() ? "no route of the VPN stayed behind"
        : "routes the VPN client left behind: " + String.join("; ", stale));
    return d.measure(Scenario.CRASH, false, notes, List.of());
  }

  /**
   * {@code crash-persistent-tun}: the same crash with the tunnel device made beforehand
   * ({@code ip tuntap add}, as a network manager or a systemd unit does), which OpenVPN opens
   * instead of making its own. The device outlives the client without a carrier, and the routes
   * through it stay, marked linkdown, and still win: routed traffic goes into a black hole
   * (sendto succeeds, nothing leaves) unless the host ignores linkdown routes
   * ({@code ignore_routes_with_linkdown=1}). What the rules let out of the LAN interface
   * directly still leaks. Not run for WireGuard: wireguard-go makes its device itself.
   */
  static ScenarioResult runPersistentTun(ScenarioDriver d) throws LabException {
    Lab lab = d.lab();
    String dev = lab.plan().tunnelInterface();
    if (lab.plan().kind() != TunnelKind.OPENVPN) {
      return new ScenarioResult(Scenario.CRASH_PERSISTENT_TUN, false,
          List.of("not run: " + lab.plan().kind().label() + " makes its own device; the lab pre-creates one only for OpenVPN"), List.of());
    }
    // a running client holds a device of its own: it goes first
    d.killVpn();
    Lab.batch(lab.client(), "tuntap add dev " + dev + " mode tun\n");
    try {
      boolean up = d.startVpn(Vpn.Carried.BOTH);
      d.killVpn();
      List<String> notes = new ArrayList<>();
      notes.add(dev + " was made beforehand (ip tuntap add), the VPN client opened it, then was killed with SIGKILL"
          + (up ? "" : " (the tunnel had not come up)") + "; " + dev + " stays: " + linkState(lab, dev));
      List<String> routes = lab.client().execOrThrow("ip", "route", "show", "dev", dev).stdout().lines().map(String::strip)
          .filter(l -> !l.isEmpty()).toList();
      notes.add(routes.isEmpty() ? "no route through " + dev + " stayed" : "routes through " + dev + " that stayed: " + String.join("; ", routes));
      return d.measure(Scenario.CRASH_PERSISTENT_TUN, false, notes, List.of());
    } finally {
      Lab.batch(lab.client(), "tuntap del dev " + dev + " mode tun\n");
    }
  }

  /** The device's flags as ip(8) shows them, e.g. {@code <NO-CARRIER,POINTOPOINT,MULTICAST,NOARP,UP>}. */
  private static String linkState(Lab lab, String dev) throws LabException {
    String out = lab.client().execOrThrow("ip", "link", "show", "dev", dev).stdout();
    int a = out.indexOf('<');
    int b = out.indexOf('>');
    return a >= 0 && b > a ? out.substring(a, b + 1) : out.strip();
  }

  /** The client's IPv4 routes that name the VPN server: what a killed client leaves in the table. */
  private static List<String> staleRoutes(Lab lab) throws LabException {
    String server = lab.plan().server();
    Exec.Result r = lab.client().execOrThrow("ip", "-4", "route", "show");
    return r.stdout().lines().map(String::strip).filter(l -> l.startsWith(server + " ") || l.startsWith(server + "/")).toList();
  }
}
