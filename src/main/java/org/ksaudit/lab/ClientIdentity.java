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

  /**
   * Gives a client that is not root its own files: openvpn checks them with access(2), which
   * tests the real uid without capabilities. The scratch directory becomes searchable (0711),
   * not listable, so only the named files are reachable.
   */
  static void handOver(LabPlan plan, ScratchDir scratch, List<String> files) throws LabException {
    long uid = plan.clientUid().orElse(0L);
    if (uid == 0) return;
    try {
      java.nio.file.Files.setPosixFilePermissions(scratch.path(), java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
      for (String f : files) {
        java.nio.file.Path p = scratch.resolve(f);
        java.nio.file.Files.setAttribute(p, "unix:uid", (int) uid);
        java.nio.file.Files.setAttribute(p, "unix:gid", plan.clientGid().orElse(0L).intValue());
      }
    } catch (java.io.IOException | UnsupportedOperationException e) {
      throw new LabException("cannot give the VPN client's files to uid " + uid + ": " + e.getMessage());
    }
  }
}
