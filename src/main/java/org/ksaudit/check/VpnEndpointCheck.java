package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.PortRange;

/** KS104: the VPN server allowance lets out more than the traffic to the VPN server. */
public final class VpnEndpointCheck extends LeakCheck {
  static final CheckInfo INFO = new CheckInfo(
      "KS104",
      Category.VPN_ENDPOINT_TOO_BROAD,
      Severity.ERROR,
      "the VPN server allowance matches hosts or ports other than the server",
      """
      A killswitch must let the encrypted tunnel traffic reach the VPN server through the
      physical interface. This rule does, but it also lets out packets to other hosts (a
      port-only rule such as "-p udp --dport 1194", a wide address range) or to the server on
      other ports and protocols.

      The same check reports, as info, an allowance by packet mark: wg-quick's killswitch
      ("! -o wg0 -m mark ! --mark 0xca6c ... -j REJECT") lets every packet that carries the
      WireGuard socket's fwmark leave through any interface to any host, not only to the
      server. Info rather than an error: only the WireGuard socket, or a process with
      CAP_NET_ADMIN (SO_MARK), which could as well flush the rules, puts that mark on a
      packet, and MARK rules of the ruleset itself are already followed by the other checks.
      It matters when other software on the host marks its packets with the same value
      (policy routing of another VPN or container tool), and it is certain only as far as
      such software exists: the finding is always "possible".""",
      """
      Anything that matches the allowance leaves in clear. A port-only rule lets any
      application, or an attacker who can choose where the victim connects, reach any host on
      that port outside the tunnel. An allowance for the server's address on every port leaks
      all traffic sent to that address, and an attacker who makes a name resolve to the VPN
      server's address (a spoofed DNS reply) gets that traffic out in clear: the TunnelCrack
      ServerIP attack.""",
      """
      -A OUTPUT -p udp -m udp --dport 1194 -j ACCEPT""",
      """
      -A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT
      # wg-quick: allow the mark only for the server's address and port
      -A OUTPUT ! -o wg0 -m mark --mark 0xca6c -d 198.51.100.1/32 -p udp --dport 51820 -j ACCEPT
      -A OUTPUT ! -o wg0 -m addrtype ! --dst-type LOCAL -j REJECT""",
      List.of("TunnelCrack: ServerIP attack (Vanhoef et al., USENIX Security 2023)",
          "wg-quick(8): the fwmark killswitch suggested for PostUp; socket(7): SO_MARK needs CAP_NET_ADMIN"));

  @Override
  public CheckInfo info() {
    return INFO;
  }

  /** Ports of the usual VPN protocols: OpenVPN, WireGuard, IKE/IPsec NAT-T, PPTP, L2TP. */
  static final List<Service> VPN_SERVICES = List.of(new Service(Packet.UDP, 1194), new Service(Packet.TCP, 1194),
      new Service(Packet.UDP, 51820), new Service(Packet.UDP, 500), new Service(Packet.UDP, 4500),
      new Service(Packet.TCP, 1723), new Service(Packet.UDP, 1701));

  /** A protocol and destination port. */
  record Service(int proto, int port) {}

  @Override
  TrafficKind kind() {
    return TrafficKind.VPN;
  }

  /**
   * The VPN servers: the ones given with --endpoint, else the ones the rules allow (see
   * {@link #inferred}), also for marked packets only (the VPN socket's fwmark).
   */
  static List<Endpoint> endpoints(AuditContext ctx, RulesetAnalysis a, Map<Decider, PacketSet> leaks,
      Map<Decider, PacketSet> marked) {
    List<Endpoint> out = new ArrayList<>(ctx.endpoints(a.ruleset().family()));
    if (!out.isEmpty()) return out;
    out.addAll(inferred(a, leaks));
    for (Endpoint e : inferred(a, marked)) if (!out.contains(e)) out.add(e);
    return out;
  }

  /**
   * Without --endpoint, a rule that lets out one protocol and port to one host (not DNS) is
   * taken to be the VPN server's allowance: what it lets out is intended. {@code leaks} are
   * what each rule lets out in one scenario.
   */
  static List<Endpoint> inferred(RulesetAnalysis a, Map<Decider, PacketSet> leaks) {
    List<Endpoint> out = new ArrayList<>();
    Family f = a.ruleset().family();
    for (Map.Entry<Decider, PacketSet> e : leaks.entrySet()) {
      Decider d = e.getKey();
      if (d.rule().isEmpty()) continue;
      BigInteger host = null;
      Integer proto = null;
      Integer port = null;
      for (Condition c : LeakScene.decode(a, d).conditions()) {
        if (c instanceof Condition.AddrIn ai && ai.dir() == Dir.DST && !ai.negated() && ai.cidrs().size() == 1
            && ai.cidrs().get(0).prefix() == f.bits()) host = ai.cidrs().get(0).address();
        if (c instanceof Condition.ProtoIs p && !p.negated() && (p.proto() == Packet.UDP || p.proto() == Packet.TCP))
          proto = p.proto();
        if (c instanceof Condition.PortIn pi && pi.dir() == Dir.DST && !pi.negated() && pi.ranges().size() == 1
            && pi.ranges().get(0).from() == pi.ranges().get(0).to()) port = pi.ranges().get(0).from();
      }
      if (host == null || proto == null || port == null || DnsLeakCheck.DNS_PORTS.contains(port)) continue;
      // a VPN server is a unicast host: a multicast or link-local group (mDNS on 224.0.0.251:5353) is none
      BigInteger h = host;
      if (AddrType.classify(f, h, BigInteger.ONE.negate()) != AddrType.UNICAST) continue;
      if (LinkScope.destinations(f).stream().anyMatch(c -> c.contains(h))) continue;
      // what the rule lets out must be that one host and port as the application addressed it (no DNAT onto it)
      PacketSet set = e.getValue();
      if (set.single(PacketField.ORIG_DST).isEmpty() || set.single(PacketField.ORIG_DPORT).isEmpty()) continue;
      out.add(new Endpoint(f, host, port, proto == Packet.UDP ? "udp" : "tcp"));
    }
    return out;
  }

  /** The traffic meant to leave in clear: to each server, on its protocol and port. */
  static PacketSet intended(SetScope s, List<Endpoint> endpoints) {
    PacketSet out = s.none();
    for (Endpoint e : endpoints) {
      out = out.or(s.where(PacketField.ORIG_DST, e.address())
          .and(s.where(PacketField.PROTO, protoOf(e)).and(s.where(PacketField.ORIG_DPORT, e.port()))));
    }
    return out;
  }

  /** Every packet to a server's address. */
  static PacketSet addresses(SetScope s, List<Endpoint> endpoints) {
    PacketSet out = s.none();
    for (Endpoint e : endpoints) out = out.or(s.where(PacketField.ORIG_DST, e.address()));
    return out;
  }

  /** VPN traffic: to a server's address, or on the port of a usual VPN protocol or of a server. */
  static PacketSet selection(SetScope s, List<Endpoint> endpoints) {
    PacketSet out = addresses(s, endpoints);
    for (Service sv : services(endpoints)) out = out.or(service(s, sv));
    return out;
  }

  private static List<Service> services(List<Endpoint> endpoints) {
    List<Service> out = new ArrayList<>(VPN_SERVICES);
    for (Endpoint e : endpoints) out.add(new Service(protoOf(e), e.port()));
    return out;
  }

  private static int protoOf(Endpoint e) {
    return e.proto().equals("udp") ? Packet.UDP : Packet.TCP;
  }

  private static PacketSet service(SetScope s, Service sv) {
    return s.where(PacketField.PROTO, sv.proto()).and(s.where(PacketField.ORIG_DPORT, sv.port()));
  }

  /**
   * Of what a rule lets out beyond the link, all of it when the rule is shaped as a server's
   * allowance, the VPN traffic when it is a VPN allowance otherwise, else none.
   */
  @Override
  PacketSet piece(LeakScene scene, Decider d, PacketSet left) {
    if (left.isEmpty()) return left;
    boolean serverShaped = isServerShaped(scene, d, left);
    if (!serverShaped && !isVpnAllowance(scene.analysis(), d, services(scene.endpoints()), scene.endpoints())) {
      return scene.scope().none();
    }
    return serverShaped ? left : left.and(scene.vpn());
  }

  /** A rule that names a VPN port, or a destination that holds a VPN server's address. */
  static boolean isVpnAllowance(RulesetAnalysis a, Decider d, List<Service> services, List<Endpoint> endpoints) {
    if (d.rule().isEmpty()) return false;
    for (Condition c : LeakScene.decode(a, d).conditions()) {
      if (c instanceof Condition.PortIn pi && pi.dir() != Dir.SRC && !pi.negated()) {
        for (PortRange r : pi.ranges()) for (Service s : services) if (r.contains(s.port())) return true;
      }
      if (c instanceof Condition.AddrIn ai && ai.dir() == Dir.DST && !ai.negated()) {
        for (Cidr cidr : ai.cidrs()) for (Endpoint e : endpoints) if (cidr.contains(e.address())) return true;
      }
      if (c instanceof Condition.AddrRangeIn ar && ar.dir() == Dir.DST && !ar.negated()) {
        for (Endpoint e : endpoints)
          if (e.address().compareTo(ar.from()) >= 0 && e.address().compareTo(ar.to()) <= 0) return true;
      }
    }
    return false;
  }

  /**
   * A server allowance by its traffic: the rule tests destination ports, and what it lets out
   * is TCP or UDP to one host, no DNS among it (a server on other ports, such as
   * {@code --dports 1195,1196}, is as much a VPN allowance as one on 1194).
   */
  static boolean isServerShaped(LeakScene scene, Decider d, PacketSet set) {
    SetScope s = scene.scope();
    if (d.rule().isEmpty() || set.intersects(scene.dns())) return false;
    if (set.single(PacketField.ORIG_DST).isEmpty()) return false;
    if (!set.isWithin(s.where(PacketField.PROTO, Packet.TCP).or(s.where(PacketField.PROTO, Packet.UDP)))) return false;
    for (Condition c : LeakScene.decode(scene.analysis(), d).conditions()) {
      if (c instanceof Condition.PortIn pi && pi.dir() != Dir.SRC && !pi.negated()) return true;
    }
    return false;
  }

  /** A VPN allowance: it names a VPN port or the server, or lets out TCP/UDP on chosen ports to one host. */
  @Override
  boolean claims(LeakShape shape) {
    return shape.vpnAllowance();
  }

  @Override
  List<RulesetAnalysis.Start> laterStarts() {
    return List.of(RulesetAnalysis.Start.MARKED_PACKETS);
  }

  /** The declared VPN server's own traffic and declared LANs leave in clear with or without a mark. */
  @Override
  PacketSet inClear(LeakScene scene) {
    return scene.intended().or(scene.declaredLan()).or(scene.notUplink());
  }

  /**
   * New connections with a non-zero packet mark count where the same packet without the mark
   * would not get out (an exemption such as wg-quick's {@code -m mark ! --mark 0xca6c}).
   */
  @Override
  PacketSet coveredByNew(PacketSet possibleNew) {
    return possibleNew.forgetting(PacketField.MARK);
  }

  @Override
  Severity severity(LeakPart p) {
    return marked(p) ? Severity.INFO : Severity.ERROR;
  }

  @Override
  Optional<Location> location(LeakPart p, Witnesses.Picked w) {
    if (!marked(p)) return super.location(p, w);
    return MarkExemption.find(p.analysis(), w.packet().mark())
        .map(r -> Locations.ofRule(r, List.of("--mark")))
        .or(() -> super.location(p, w));
  }

  @Override
  List<PacketSet> preferences(LeakPart p) {
    SetScope s = p.scope();
    List<PacketSet> out = new ArrayList<>();
    if (marked(p)) {
      out.addAll(MarkExemption.testedMarks(p.analysis(), s));
      out.addAll(DirectLeakCheck.leakPreferences(p));
      return out;
    }
    for (Service sv : VPN_SERVICES) {
      out.add(s.where(PacketField.PROTO, sv.proto()));
      out.add(s.where(PacketField.ORIG_DPORT, sv.port()));
    }
    out.addAll(Prefs.atRuleDestinations(p));
    out.add(s.where(PacketField.ORIG_DST, Witnesses.documentation(p.analysis().ruleset().family(), 77)));
    return out;
  }

  @Override
  TrafficKind primary(LeakPart p) {
    return marked(p) ? TrafficKind.OTHER : TrafficKind.VPN;
  }

  @Override
  String what(LeakPart p, Witnesses.Picked w) {
    if (marked(p)) {
      String exempt = MarkExemption.find(p.analysis(), w.packet().mark()).isPresent()
          ? ", which this rule exempts from its refusal" : "";
      PacketSet shown = SetText.shown(p.set());
      return "packets carrying " + marks(p.set()) + exempt + " (as the WireGuard socket or any process with "
          + "CAP_NET_ADMIN sends them with SO_MARK): " + SetText.protocols(shown, p.analysis().ruleset().family()) + " to "
          + SetText.destinations(p.analysis(), p.scope(), shown) + ", not only to the VPN server,";
    }
    return vpnTraffic(p.analysis(), p.scope(), p.piece(TrafficKind.VPN)) + ", not only the tunnel to the VPN server,";
  }

  /** "VPN traffic (UDP port 1194) to 141.98.255.0/24", or the server's address on other ports, with what limits it. */
  static String vpnTraffic(RulesetAnalysis a, SetScope s, PacketSet leak) {
    PacketSet set = SetText.shown(leak);
    List<String> services = new ArrayList<>();
    PacketSet usual = s.none();
    for (Service sv : VPN_SERVICES) {
      PacketSet x = service(s, sv);
      usual = usual.or(x);
      if (set.intersects(x)) services.add((sv.proto() == Packet.UDP ? "UDP" : "TCP") + " port " + sv.port());
    }
    String dst = SetText.destinations(a, s, set);
    if (services.isEmpty() || !set.isWithin(usual)) {
      return "traffic to the VPN server's address: " + LeakCheck.packets(a, s, set);
    }
    List<String> conds = new ArrayList<>(SetText.conditions(a, s, set));
    conds.removeIf(c -> c.startsWith("port"));
    conds.add(0, SetText.join(services));
    return "VPN traffic (" + String.join(", ", conds) + ") to " + dst;
  }

  /** "mark 0xca6c", or "marks such as 0x1" when more than one mark gets out. */
  static String marks(PacketSet set) {
    BigInteger lo = set.min(PacketField.MARK);
    String first = "0x" + lo.toString(16);
    return lo.equals(set.max(PacketField.MARK)) ? "mark " + first : "a mark (such as " + first + ")";
  }

  private static boolean marked(LeakPart p) {
    return p.start() == RulesetAnalysis.Start.MARKED_PACKETS;
  }

  @Override
  List<String> pointAt() {
    return List.of("--dport", "--dports", "--ports", "--destination", "--dst-range");
  }
}
