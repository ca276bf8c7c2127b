package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs the VPN client as the uid or gid the rules allow its packets for. A socket belongs to
 * the uid and gid that created it, which is what {@code -m owner} tests. A client that is not
 * root keeps the capabilities it needs (CAP_NET_ADMIN for the tun device, routes and marks;
 * CAP_NET_RAW; CAP_DAC_OVERRIDE to open /dev/net/tun and the lab's keys) as ambient
 * capabilities, as systemd's AmbientCapabilities= gives them to a VPN service user.
 */
final class ClientIdentity {
  private ClientIdentity() {}

  private static final String CAPS = "+net_admin,+net_raw,+dac_override";

  /** The words to put before the client's command; empty when it runs as root. */
  static List<String> prefix(LabPlan plan) {
    long uid = plan.clientUid().orElse(0L);
    long gid = plan.clientGid().orElse(0L);
    if (uid == 0 && gid == 0) return List.of();
    List<String> p = new ArrayList<>(List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(gid), "--clear-groups"));
    if (uid != 0) p.addAll(List.of("--inh-caps", CAPS, "--ambient-caps", CAPS));
    return p;
  }

  /** The same prefix as shell words, for a script line. */
  static String shell(LabPlan plan) {
    List<String> p = prefix(plan);
    return p.isEmpty() ? "" : String.join(" ", p) + " ";
  }
}
