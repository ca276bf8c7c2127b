package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/** KS105: traffic to a LAN range leaves in clear. */
public final class LanExemptionCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS105",
      Category.LAN_EXEMPTION,
      Severity.ERROR,
      "traffic to a local network range leaves in clear",
      """
      The rules let packets to a private address range (192.168.0.0/16, 10.0.0.0/8,
      172.16.0.0/12, link-local, IPv6 unique-local) out of the physical interface, so that
      printers and file shares on the LAN stay reachable. Declared with --allow-lan, the
      finding is informational; undeclared, it is an error.""",
      """
      Which hosts sit in a private range is decided by the network the device joins, not by
      the user. A hostile hotspot can hand out addresses from the exempted range and route
      any destination the victim cares about into it (DNS answers pointing into the range,
      or the range covering the VPN's own internal addresses): that traffic then leaves in
      clear, outside the tunnel. This is the TunnelCrack LocalNet attack; TunnelVision (DHCP
      option 121) is its routing-table cousin.""",
      """
      -A OUTPUT -d 192.168.1.0/24 -j ACCEPT""",
      """
      # only what is needed, only on the LAN interface, or nothing at all:
      -A OUTPUT -o eth0 -d 192.168.1.10/32 -p tcp -m tcp --dport 631 -j ACCEPT""",
      List.of("TunnelCrack: LocalNet attack (Vanhoef et al., USENIX Security 2023)",
          "TunnelVision: CVE-2024-3661 (Leviathan Security, 2024)"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  @Override
  TrafficKind kind() {
    return TrafficKind.LAN;
  }

  /** The LAN ranges the user declared with --allow-lan: meant to leave in clear. */
  static PacketSet declared(AuditContext ctx, SetScope s, Family f) {
    PacketSet out = s.none();
    for (Cidr c : ctx.allowedLan(f)) out = out.or(s.within(PacketField.ORIG_DST, c));
    return out;
  }

  /** Traffic to RFC 1918 ranges, shared address space (CGNAT), IPv6 unique-local. Link-local ranges are {@link LinkScope}'s. */
  static PacketSet privateRanges(SetScope s, Family f) {
    List<Cidr> ranges = f == Family.IPV4
        ? List.of(LeakScene.cidr(f, "10.0.0.0", 8), LeakScene.cidr(f, "172.16.0.0", 12), LeakScene.cidr(f, "192.168.0.0", 16),
            LeakScene.cidr(f, "100.64.0.0", 10))
        : List.of(LeakScene.cidr(f, "fc00::", 7));
    PacketSet out = s.none();
    for (Cidr c : ranges) out = out.or(s.within(PacketField.ORIG_DST, c));
    return out;
  }

  @Override
  PacketSet piece(LeakScene scene, Decider d, PacketSet left) {
    return left.and(scene.privateRanges());
  }

  @Override
  Severity severity(LeakPart p) {
    return p.declared() ? Severity.INFO : Severity.ERROR;
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    return new ArrayList<>(Prefs.atRuleDestinations(p));
  }

  /** A LAN exemption: traffic to private ranges, more than one host, and nothing beyond them but what the VPN and DNS pieces hold. */
  @Override
  boolean claims(LeakShape shape) {
    return shape.has(TrafficKind.LAN) && !shape.has(TrafficKind.OTHER) && !shape.oneHost();
  }

  @Override
  TrafficKind primary(LeakPart p) {
    return TrafficKind.LAN;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    return (p.declared() ? "declared LAN traffic (--allow-lan): " : "LAN traffic: ")
        + LeakCheck.packets(p.analysis(), p.scope(), p.piece(TrafficKind.LAN));
  }

  @Override
  List<String> pointAt() {
    return List.of("--destination", "--dst-range");
  }
}
