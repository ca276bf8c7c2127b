package org.ksaudit.lab;

/** Small pieces of lab wiring that both VPN kinds use. */
final class Wiring {
  private Wiring() {}

  /**
   * A nat table whose INPUT chain rewrites the source of tunnelled packets to the VPN's exit
   * address: local services then see the exit address, as a web site sees a VPN server's.
   */
  /**
   * Gives the VPN server's tunnel traffic the exit addresses (IPv4 and IPv6) in the internet
   * namespace, so the web page shows the VPN exit rather than the client: the same for every VPN kind.
   */
  static void installExitNat(Lab lab, String serverDevice) throws LabException {
    Lab.restore(lab.internet(), "iptables-restore", snat(serverDevice, lab.plan().exit4()));
    Lab.restore(lab.internet(), "ip6tables-restore", snat(serverDevice, LabPlan.EXIT6));
  }

  static String snat(String serverDevice, String exitAddress) {
    return "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        + "-A INPUT -i " + serverDevice + " -j SNAT --to-source " + exitAddress + "\nCOMMIT\n";
  }

  /**
   * True when a VPN client's log shows its own packets refused by the local rules (sendto:
   * EPERM, "operation not permitted"): the killswitch blocks the VPN itself, no need to wait.
   */
  static boolean blocked(String log) {
    return log.toLowerCase(java.util.Locale.ROOT).contains("operation not permitted");
  }

  /**
   * Waits (up to 5 s) until a VPN process's device has disappeared from the namespace or, for a
   * persistent device made beforehand, which outlives the process, lost its carrier.
   */
  static void awaitGone(Netns ns, String device) throws LabException {
    for (int i = 0; i < 200; i++) {
      Exec.Result r = Exec.run(java.util.List.of("ip", "-n", ns.name(), "link", "show", "dev", device), null, 10_000);
      if (!r.ok() || r.stdout().contains("NO-CARRIER")) return;
      LabProcess.sleep(25);
    }
    throw new LabException(device + " is still present and attached after its VPN process was killed");
  }
}
