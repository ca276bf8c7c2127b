package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.PortRange;

/**
 * Splits what each rule lets out into categories, in this order: what the user declared
 * (the VPN server, --allow-lan) is taken out first; then, for a rule that is a VPN allowance
 * (it names a VPN port or the server's address), what goes to the VPN service on other hosts
 * or to the server on other ports; then DNS (port 53 and 853); then traffic confined to
 * private ranges (a LAN exemption) when the rule covers a range; the rest is a direct leak
 * (an IPv6 leak in an IPv6 ruleset).
 */
final class LeakPartition {
  private LeakPartition() {}

  /** Ports of the usual VPN protocols: OpenVPN, WireGuard, IKE/IPsec NAT-T, PPTP, L2TP. */
  static final List<Service> VPN_SERVICES = List.of(new Service(Packet.UDP, 1194), new Service(Packet.TCP, 1194),
      new Service(Packet.UDP, 51820), new Service(Packet.UDP, 500), new Service(Packet.UDP, 4500),
      new Service(Packet.TCP, 1723), new Service(Packet.UDP, 1701));
  static final List<Integer> DNS_PORTS = List.of(53, 853);

  record Service(int proto, int port) {}

  static Map<Category, List<LeakPart>> compute(AuditContext ctx, RulesetAnalysis a) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    Family fam = a.ruleset().family();
    Map<Category, List<LeakPart>> out = new EnumMap<>(Category.class);
    Map<Decider, Integer> leaks = a.leaks(Path.OUTPUT).acceptedBy();
    // all engine runs before the sets below are made: a run may collect nodes nobody registered
    Map<Decider, Integer> open = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.OPEN_CONNECTIONS).acceptedBy();
    Map<Decider, Integer> marked = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.MARKED_PACKETS).acceptedBy();
    Map<Decider, Integer> copies = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.TEE_COPIES).acceptedBy();

    List<Endpoint> endpoints = new ArrayList<>(ctx.endpoints(fam));
    if (endpoints.isEmpty()) {
      endpoints.addAll(inferredEndpoints(a, leaks));
      // a server allowance for marked packets only (the VPN socket's fwmark) names the server as well
      for (Endpoint e : inferredEndpoints(a, marked)) if (!endpoints.contains(e)) endpoints.add(e);
    }
    int intended = Bdd.FALSE;
    int endpointAddrs = Bdd.FALSE;
    List<Service> services = new ArrayList<>(VPN_SERVICES);
    for (Endpoint e : endpoints) {
      int proto = e.proto().equals("udp") ? Packet.UDP : Packet.TCP;
      int addr = s.origDst.eq(e.address());
      intended = b.or(intended, b.and(addr, b.and(s.proto.eq(proto), s.origDport.eq(e.port()))));
      endpointAddrs = b.or(endpointAddrs, addr);
      services.add(new Service(proto, e.port()));
    }
    int vpnSel = endpointAddrs;
    for (Service sv : services) vpnSel = b.or(vpnSel, b.and(s.proto.eq(sv.proto()), s.origDport.eq(sv.port())));
    int lan = Bdd.FALSE;
    for (Cidr c : ctx.allowedLan(fam)) lan = b.or(lan, s.cidr(s.origDst, c));
    int dns = Bdd.FALSE;
    for (int port : DNS_PORTS) {
      dns = b.or(dns, b.and(b.or(s.proto.eq(Packet.UDP), s.proto.eq(Packet.TCP)), s.origDport.eq(port)));
    }
    int privateRanges = Bdd.FALSE;
    for (Cidr c : privateRanges(fam)) privateRanges = b.or(privateRanges, s.cidr(s.origDst, c));

    for (Map.Entry<Decider, Integer> e : leaks.entrySet()) {
      List<Integer> keep = new ArrayList<>(AuditContext.setsOf(out));
      keep.addAll(List.of(intended, endpointAddrs, vpnSel, lan, dns, privateRanges));
      s.collectIfDue(keep);
      Decider d = e.getKey();
      int l = e.getValue();
      int declaredLan = b.and(l, lan);
      add(out, Category.LAN_EXEMPTION, new LeakPart(a, d, declaredLan, true));
      int rest = b.diff(b.diff(l, intended), lan);
      if (isVpnAllowance(a, d, services, endpoints)) {
        int v = b.and(rest, vpnSel);
        add(out, Category.VPN_ENDPOINT_TOO_BROAD, new LeakPart(a, d, v, false));
        rest = b.diff(rest, v);
      }
      int dnsPart = b.and(rest, dns);
      add(out, Category.DNS_LEAK, new LeakPart(a, d, dnsPart, false));
      rest = b.diff(rest, dnsPart);
      if (rest == Bdd.FALSE) continue;
      boolean confined = b.diff(rest, privateRanges) == Bdd.FALSE;
      BigInteger lo = s.origDst.min(rest);
      BigInteger hi = s.origDst.max(rest);
      if (confined && !lo.equals(hi)) {
        add(out, Category.LAN_EXEMPTION, new LeakPart(a, d, rest, false));
      } else {
        add(out, fam == Family.IPV6 ? Category.IPV6_LEAK : Category.DIRECT_LEAK, new LeakPart(a, d, rest, false));
      }
    }
    // what the new connections let out is compared whatever the matches the engine cannot
    // interpret decide there (a possible leak is reported already)
    int newLeaks = Bdd.FALSE;
    for (int l : leaks.values()) newLeaks = b.or(newLeaks, l);
    newLeaks = s.possibly(newLeaks);
    List<Integer> kept = List.of(newLeaks, intended, endpointAddrs, lan);
    s.collectIfDue(keep(out, kept));
    // Packets of connections open when the tunnel went down (and copies TEE sends, no new
    // connection either) count where the first packet of a new connection would not get out
    // all the same (that one is reported above, with the connections' later packets implied),
    // compared by what the application sent (the original destination and port: a new
    // connection that DNAT sends elsewhere still gets out), whatever the marks and socket; and
    // not for the VPN server or a declared LAN: those were routed through the physical
    // interface while the tunnel was up too, so losing the tunnel changes nothing for them.
    int asNew = s.socket.forget(s.mark.forget(s.ctmark.forget(s.state.forget(s.dst.forget(s.dstType.forget(s.dport.forget(newLeaks)))))));
    int inClearAnyway = b.or(endpointAddrs, lan);
    beyond(out, a, open, RulesetAnalysis.Start.OPEN_CONNECTIONS, Category.DIRECT_LEAK, inClearAnyway, asNew, kept);
    beyond(out, a, copies, RulesetAnalysis.Start.TEE_COPIES, Category.DIRECT_LEAK, inClearAnyway, asNew, kept);
    // New connections with a non-zero packet mark count where the same packet without the mark
    // would not get out (an exemption such as wg-quick's -m mark ! --mark 0xca6c), except the
    // declared VPN server's own traffic and declared LANs.
    beyond(out, a, marked, RulesetAnalysis.Start.MARKED_PACKETS, Category.VPN_ENDPOINT_TOO_BROAD, b.or(intended, lan),
        s.mark.forget(newLeaks), kept);
    a.forgetLeaks(RulesetAnalysis.Start.OPEN_CONNECTIONS);
    a.forgetLeaks(RulesetAnalysis.Start.MARKED_PACKETS);
    a.forgetLeaks(RulesetAnalysis.Start.TEE_COPIES);
    return out;
  }

  /**
   * The parts of a start other than new connections: what each rule lets out from it, less
   * what is meant to leave in clear and less what the new connections' findings cover already.
   */
  private static void beyond(Map<Category, List<LeakPart>> out, RulesetAnalysis a, Map<Decider, Integer> leaks,
      RulesetAnalysis.Start start, Category category, int meant, int covered, List<Integer> kept) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    for (Map.Entry<Decider, Integer> e : leaks.entrySet()) {
      List<Integer> k = new ArrayList<>(kept);
      k.addAll(List.of(meant, covered));
      s.collectIfDue(keep(out, k));
      add(out, category, new LeakPart(a, e.getKey(), b.diff(b.diff(e.getValue(), meant), covered), false, start));
    }
  }

  private static List<Integer> keep(Map<Category, List<LeakPart>> out, List<Integer> more) {
    List<Integer> k = new ArrayList<>(AuditContext.setsOf(out));
    k.addAll(more);
    return k;
  }

  private static void add(Map<Category, List<LeakPart>> out, Category c, LeakPart p) {
    if (p.set() == Bdd.FALSE) return;
    out.computeIfAbsent(c, k -> new ArrayList<>()).add(p);
  }

  /** RFC 1918, link-local, shared address space (CGNAT); IPv6 unique-local and link-local. */
  static List<Cidr> privateRanges(Family f) {
    if (f == Family.IPV4) {
      return List.of(cidr(f, "10.0.0.0", 8), cidr(f, "172.16.0.0", 12), cidr(f, "192.168.0.0", 16),
          cidr(f, "169.254.0.0", 16), cidr(f, "100.64.0.0", 10));
    }
    return List.of(cidr(f, "fc00::", 7), cidr(f, "fe80::", 10));
  }

  static Cidr cidr(Family f, String a, int p) {
    return new Cidr(f, org.ksaudit.model.value.IpText.parse(f, a).orElseThrow(), p);
  }

  /**
   * Without --endpoint, a rule that lets out one protocol and port to one host (not DNS) is
   * taken to be the VPN server's allowance: what it lets out is intended. {@code leaks} are
   * what each rule lets out in one scenario.
   */
  static List<Endpoint> inferredEndpoints(RulesetAnalysis a, Map<Decider, Integer> leaks) {
    List<Endpoint> out = new ArrayList<>();
    for (Decider d : leaks.keySet()) {
      Optional<Rule> r = d.rule();
      if (r.isEmpty()) continue;
      RuleDecoder.Decoded dec = decode(a, d, r.get());
      BigInteger host = null;
      Integer proto = null;
      Integer port = null;
      for (Condition c : dec.conditions()) {
        if (c instanceof Condition.AddrIn ai && ai.dir() == Dir.DST && !ai.negated() && ai.cidrs().size() == 1
            && ai.cidrs().get(0).prefix() == a.ruleset().family().bits()) host = ai.cidrs().get(0).address();
        if (c instanceof Condition.ProtoIs p && !p.negated() && (p.proto() == Packet.UDP || p.proto() == Packet.TCP))
          proto = p.proto();
        if (c instanceof Condition.PortIn pi && pi.dir() == Dir.DST && !pi.negated() && pi.ranges().size() == 1
            && pi.ranges().get(0).from() == pi.ranges().get(0).to()) port = pi.ranges().get(0).from();
      }
      if (host == null || proto == null || port == null || DNS_PORTS.contains(port)) continue;
      // what the rule lets out must be that one host and port as the application addressed it (no DNAT onto it)
      PacketSpace s = a.space();
      int set = leaks.get(d);
      if (!s.origDst.min(set).equals(s.origDst.max(set)) || !s.origDport.min(set).equals(s.origDport.max(set))) continue;
      out.add(new Endpoint(a.ruleset().family(), host, port, proto == Packet.UDP ? "udp" : "tcp"));
    }
    return out;
  }

  /** A rule that names a VPN port, or a destination that holds a VPN server's address. */
  static boolean isVpnAllowance(RulesetAnalysis a, Decider d, List<Service> services, List<Endpoint> endpoints) {
    if (d.rule().isEmpty()) return false;
    RuleDecoder.Decoded dec = decode(a, d, d.rule().get());
    for (Condition c : dec.conditions()) {
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

  static RuleDecoder.Decoded decode(RulesetAnalysis a, Decider d, Rule r) {
    Table t = a.ruleset().table(d.table()).orElseThrow();
    return a.engine().decode(t, r);
  }
}
