package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;

/**
 * KS106: any other traffic that leaves outside the tunnel: new connections (error), and
 * packets of connections that were open when the tunnel went down (warning).
 */
public final class DirectLeakCheck extends RestOfFamilyCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS106",
      Category.DIRECT_LEAK,
      Severity.ERROR,
      "traffic leaves outside the tunnel",
      """
      Packets that are neither DNS, nor the VPN's own traffic, nor traffic to a LAN range can
      leave through an interface other than the tunnel: ICMP, NTP, a whole protocol, or
      everything, because a rule or a policy accepts them without "-o tun0".

      The same check reports, as a warning, packets of connections that were already open
      when the tunnel went down (conntrack state ESTABLISHED or RELATED) that a rule such as
      "-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT" lets out on every interface. It
      reports them only where the first packet of a new connection with the same addresses
      and ports would be refused (else the error above already covers them), and not for the
      VPN server or a LAN declared with --allow-lan, which are reached in clear while the
      tunnel is up as well. A warning rather than an error: no new connection gets out, and
      connections opened through the tunnel carry the tunnel's source address, which the
      kernel may refuse to send from once that address is gone; but connections whose source
      address stays (opened before the VPN came up, or a tunnel device that stays while its
      routes go) keep sending in clear. Copies a TEE rule sends to its gateway (state
      UNTRACKED; they cross the OUTPUT chains again) are reported the same way when a rule
      lets them out.

      Without an IPv4 ruleset (only an ip6tables dump given) every IPv4 packet leaves
      unfiltered, unless --no-ipv4 says the host has no IPv4 at all.""",
      """
      When the tunnel goes down (the VPN process crashes, the network changes, the server is
      unreachable), the routes through the tunnel disappear and the kernel sends packets out
      of the physical interface. Only the firewall stands between the applications and the
      open network; what it accepts there leaves in clear, with the user's real address.

      Conntrack entries outlive the tunnel: a socket that keeps sending (a chat, a download,
      a streaming session) produces packets in state ESTABLISHED, the kernel routes them via
      the physical interface, and an ESTABLISHED rule without "-o tun0" accepts them.""",
      """
      -A OUTPUT -p icmp -j ACCEPT
      -A OUTPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      """
      -A OUTPUT -o tun0 -p icmp -j ACCEPT
      -A OUTPUT -o tun0 -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT""",
      List.of("VPNalyzer (Ramesh et al., NDSS 2022): tunnel failure leaks",
          "conntrack-tools(8), iptables-extensions(8): conntrack --ctstate"));

  /** Where a replayed witness goes when there are no IPv4 rules: HTTPS to a documentation address out of eth0. */
  static final Witness MISSING_RULESET_WITNESS = new Witness(Family.IPV4, "tcp", "203.0.113.10", 443, "eth0");

  DirectLeakCheck() {
    super(Family.IPV4);
  }

  @Override
  public CheckInfo info() {
    return INFO;
  }

  /** The leaks of the rules, and without IPv4 rules (on a host that has IPv4) the whole of IPv4. */
  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>(super.run(ctx));
    if (ctx.ruleset(Family.IPV4).isEmpty() && !ctx.options().absent(Family.IPV4)) {
      out.add(new Finding(INFO.id(), INFO.category(), FindingKind.NEW_CONNECTION, Severity.ERROR, Certainty.DEFINITE, "", Optional.empty(),
          ctx.options().origin().missing(Family.IPV4) + " (and no --no-ipv4): every IPv4 packet leaves unfiltered",
          Optional.of(MISSING_RULESET_WITNESS), List.of()));
    }
    return out;
  }

  @Override
  Severity severity(LeakPart p) {
    return open(p) ? Severity.WARNING : Severity.ERROR;
  }

  /**
   * Packets of connections open when the tunnel went down, and copies TEE sends (no new
   * connection either), in both families.
   */
  @Override
  List<RulesetAnalysis.Start> laterStarts() {
    return List.of(RulesetAnalysis.Start.OPEN_CONNECTIONS, RulesetAnalysis.Start.TEE_COPIES);
  }

  /**
   * The VPN server and a declared LAN were reached through the physical interface while the
   * tunnel was up too: losing the tunnel changes nothing for their open connections.
   */
  @Override
  PacketSet inClear(LeakScene scene) {
    return scene.endpointAddrs().or(scene.declaredLan()).or(scene.notUplink());
  }

  /**
   * Such packets count where the first packet of a new connection would not get out all the
   * same (that one is reported already, with the connections' later packets implied), compared
   * by what the application sent (the original destination and port: a new connection that
   * DNAT sends elsewhere still gets out), whatever the marks and socket.
   */
  @Override
  PacketSet coveredByNew(PacketSet possibleNew) {
    return possibleNew.forgetting(PacketField.DPORT, PacketField.DST_TYPE, PacketField.DST, PacketField.STATE,
        PacketField.CTMARK, PacketField.MARK, PacketField.SOCKET);
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    if (!open(p)) return leakPreferences(p);
    SetScope s = p.scope();
    List<PacketSet> out = new ArrayList<>();
    out.add(s.stateIn(List.of(ConnState.ESTABLISHED)));
    out.add(s.where(PacketField.TCP_FLAGS, Packet.ACK));
    out.addAll(leakPreferences(p));
    return out;
  }

  static List<PacketSet> leakPreferences(LeakPart p) {
    SetScope s = p.scope();
    List<PacketSet> out = new ArrayList<>(Prefs.atRuleDestinations(p));
    out.add(s.where(PacketField.ORIG_DST, Witnesses.documentation(p.analysis().ruleset().family(), 10)));
    out.add(s.where(PacketField.PROTO, Packet.TCP));
    out.add(s.where(PacketField.ORIG_DPORT, 443));
    return out;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    String packets = LeakCheck.packets(p.analysis(), p.scope(), p.set());
    if (!open(p)) return packets;
    String v6 = p.analysis().ruleset().family() == Family.IPV6 ? "IPv6 " : "";
    String kind = p.start() == RulesetAnalysis.Start.TEE_COPIES
        ? "copies a TEE rule sends to its gateway (conntrack state UNTRACKED; "
        : "packets of connections that were open when the tunnel went down (conntrack state ESTABLISHED or RELATED; ";
    return v6 + kind + packets + ", which the rules refuse as new connections)";
  }

  @Override
  List<String> pointAt(LeakPart p) {
    if (p.start() == RulesetAnalysis.Start.TEE_COPIES) return List.of("--ctstate", "--state", "-o", "--out-interface");
    return open(p) ? List.of("--ctstate", "--state") : List.of();
  }

  /** Packets that are no new connection: of an open connection, or a TEE copy. */
  private static boolean open(LeakPart p) {
    return p.start() == RulesetAnalysis.Start.OPEN_CONNECTIONS || p.start() == RulesetAnalysis.Start.TEE_COPIES;
  }
}
