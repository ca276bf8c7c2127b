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

  /** The client's IPv4 routes that name the VPN server: what a killed client leaves in the table. */
  private static List<String> staleRoutes(Lab lab) throws LabException {
    String server = lab.plan().server();
    Exec.Result r = lab.client().execOrThrow("ip", "-4", "route", "show");
    return r.stdout().lines().map(String::strip).filter(l -> l.startsWith(server + " ") || l.startsWith(server + "/")).toList();
  }
}
