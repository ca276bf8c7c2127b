package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.AddrType;
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
 * What each rule lets out, as weaknesses: what the user declared (the VPN server, --allow-lan)
 * is taken out first; the rest is split by kind of traffic (link-local, VPN, DNS, LAN, other),
 * and the checks pick the rule's one category from that split ({@link #categoryOf}).
 */
final class LeakPartition {
  private LeakPartition() {}

  /** Ports of the usual VPN protocols: OpenVPN, WireGuard, IKE/IPsec NAT-T, PPTP, L2TP. */
  static final List<Service> VPN_SERVICES = List.of(new Service(Packet.UDP, 1194), new Service(Packet.TCP, 1194),
      new Service(Packet.UDP, 51820), new Service(Packet.UDP, 500), new Service(Packet.UDP, 4500),
      new Service(Packet.TCP, 1723), new Service(Packet.UDP, 1701));
  static final List<Integer> DNS_PORTS = List.of(53, 853);

  record Service(int proto, int port) {}

  /**
   * One part per weakness: what each rule (or policy) lets out, less what is intended, with one
   * category (the most specific that fits: see {@link #categoryOf}); rules of the same shape
   * and category are one part.
   */
  static Map<Category, List<LeakPart>> compute(AuditContext ctx, RulesetAnalysis a) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    Family fam = a.ruleset().family();
    Map<Decider, Integer> newOnes = a.leaks(Path.OUTPUT).acceptedBy();
    // all engine runs before the sets below are made: a run may collect nodes nobody registered
    Map<Decider, Integer> openOnes = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.OPEN_CONNECTIONS).acceptedBy();
    Map<Decider, Integer> markedOnes = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.MARKED_PACKETS).acceptedBy();
    Map<Decider, Integer> copyOnes = a.leaks(Path.OUTPUT, RulesetAnalysis.Start.TEE_COPIES).acceptedBy();
    Map<Decider, Integer> leaks = ReturnAllowances.attribute(a, newOnes);
    Map<Decider, Integer> open = ReturnAllowances.attribute(a, openOnes);
    Map<Decider, Integer> marked = ReturnAllowances.attribute(a, markedOnes);
    Map<Decider, Integer> copies = ReturnAllowances.attribute(a, copyOnes);

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
    int link = LinkScope.set(s);
    int fromLink = LinkScope.fromLinkLocal(s);
    int broadcast = s.dstTypeIn(List.of(AddrType.BROADCAST));
    // interfaces no uplink has (lo0, docker1): only a wildcard such as -o lo+ reaches them, and KS112
    // says so; and packets the kernel does not send at all
    int notUplink = b.or(s.oifIn(InterfaceWildcardCheck.localOnlyClasses(a)), neverSent(s));
    Sets k = new Sets(List.of(intended, endpointAddrs, vpnSel, lan, dns, privateRanges, link, fromLink, broadcast, notUplink));

    Groups groups = new Groups(a);
    int newLeaks = Bdd.FALSE;
    for (int l : leaks.values()) newLeaks = b.or(newLeaks, b.diff(l, notUplink));
    k.add(newLeaks);
    for (Map.Entry<Decider, Integer> e : leaks.entrySet()) {
      s.collectIfDue(k.with(groups.sets()));
      Decider d = e.getKey();
      int l = b.diff(e.getValue(), notUplink);
      int declaredLan = b.and(l, lan);
      if (declaredLan != Bdd.FALSE) {
        groups.add(Category.LAN_EXEMPTION, d, true, RulesetAnalysis.Start.NEW_CONNECTIONS, Map.of(TrafficKind.LAN, declaredLan), newLeaks, "");
      }
      int rest = b.diff(b.diff(l, intended), lan);
      if (rest == Bdd.FALSE) continue;
      Map<TrafficKind, Integer> pieces = new EnumMap<>(TrafficKind.class);
      // a subnet broadcast counts as link-local where the rule lets out nothing else (-m addrtype --dst-type BROADCAST)
      int linkPiece = b.subset(rest, fromLink) || b.subset(rest, broadcast) ? rest : b.and(rest, link);
      put(pieces, TrafficKind.LINK_LOCAL, linkPiece);
      int beyond = b.diff(rest, linkPiece);
      // one unicast host: a multicast group (SSDP's 239.255.255.250) is no resolver or server
      boolean oneHost = beyond != Bdd.FALSE && s.dst.min(beyond).equals(s.dst.max(beyond))
          && AddrType.classify(fam, s.dst.min(beyond), BigInteger.ONE.negate()) == AddrType.UNICAST;
      boolean vpn = beyond != Bdd.FALSE && (isVpnAllowance(a, d, services, endpoints) || isServerShaped(a, d, beyond, dns));
      int vpnPiece = vpn ? (isServerShaped(a, d, beyond, dns) ? beyond : b.and(beyond, vpnSel)) : Bdd.FALSE;
      put(pieces, TrafficKind.VPN, vpnPiece);
      int left = b.diff(beyond, vpnPiece);
      int dnsPiece = b.and(left, dns);
      put(pieces, TrafficKind.DNS, dnsPiece);
      left = b.diff(left, dnsPiece);
      int lanPiece = b.and(left, privateRanges);
      put(pieces, TrafficKind.LAN, lanPiece);
      put(pieces, TrafficKind.OTHER, b.diff(left, lanPiece));
      LeakShape shape = new LeakShape(pieces, vpnPiece != Bdd.FALSE, namesDnsPort(a, d), oneHost);
      Category c = categoryOf(shape, fam);
      String severityKey = c == Category.LINK_LOCAL && b.subset(linkPiece, LinkScope.needed(s)) ? "needed" : "";
      groups.add(c, d, false, RulesetAnalysis.Start.NEW_CONNECTIONS, pieces, newLeaks, severityKey);
    }
    // what the new connections let out is compared whatever the matches the engine cannot
    // interpret decide there (a possible leak is reported already)
    int possibleNew = s.possibly(newLeaks);
    List<Integer> kept = List.of(possibleNew, intended, endpointAddrs, lan, notUplink, link);
    s.collectIfDue(k.with(groups.sets()));
    // Packets of connections open when the tunnel went down (and copies TEE sends, no new
    // connection either) count where the first packet of a new connection would not get out
    // all the same (that one is reported above, with the connections' later packets implied),
    // compared by what the application sent (the original destination and port: a new
    // connection that DNAT sends elsewhere still gets out), whatever the marks and socket; and
    // not for the VPN server or a declared LAN: those were routed through the physical
    // interface while the tunnel was up too, so losing the tunnel changes nothing for them.
    int asNew = s.socket.forget(s.mark.forget(s.ctmark.forget(s.state.forget(s.dst.forget(s.dstType.forget(s.dport.forget(possibleNew)))))));
    int inClearAnyway = b.or(b.or(endpointAddrs, lan), notUplink);
    beyond(groups, a, open, RulesetAnalysis.Start.OPEN_CONNECTIONS, inClearAnyway, asNew, k.with(kept));
    beyond(groups, a, copies, RulesetAnalysis.Start.TEE_COPIES, inClearAnyway, asNew, k.with(kept));
    // New connections with a non-zero packet mark count where the same packet without the mark
    // would not get out (an exemption such as wg-quick's -m mark ! --mark 0xca6c), except the
    // declared VPN server's own traffic and declared LANs.
    beyond(groups, a, marked, RulesetAnalysis.Start.MARKED_PACKETS, b.or(b.or(intended, lan), notUplink),
        s.mark.forget(possibleNew), k.with(kept));
    a.forgetLeaks(RulesetAnalysis.Start.OPEN_CONNECTIONS);
    a.forgetLeaks(RulesetAnalysis.Start.MARKED_PACKETS);
    a.forgetLeaks(RulesetAnalysis.Start.TEE_COPIES);
    return groups.parts();
  }

  /**
   * The one category of what a rule lets out, the most specific that fits: traffic that stays
   * on the link; a VPN allowance; a resolver (a DNS port named, or DNS among what goes to one
   * host); a range of private addresses; else a direct (IPv6) leak.
   */
  static Category categoryOf(LeakShape shape, Family fam) {
    if (LinkLocalCheck.claims(shape)) return Category.LINK_LOCAL;
    if (VpnEndpointCheck.claims(shape)) return Category.VPN_ENDPOINT_TOO_BROAD;
    if (DnsLeakCheck.claims(shape)) return Category.DNS_LEAK;
    if (LanExemptionCheck.claims(shape)) return Category.LAN_EXEMPTION;
    return fam == Family.IPV6 ? Category.IPV6_LEAK : Category.DIRECT_LEAK;
  }

  private static void put(Map<TrafficKind, Integer> pieces, TrafficKind k, int set) {
    if (set != Bdd.FALSE) pieces.put(k, set);
  }

  /** Sets to keep across collections. */
  private static final class Sets {
    private final List<Integer> sets;

    Sets(List<Integer> sets) {
      this.sets = new ArrayList<>(sets);
    }

    void add(int set) {
      sets.add(set);
    }

    List<Integer> with(List<Integer> more) {
      List<Integer> out = new ArrayList<>(sets);
      out.addAll(more);
      return out;
    }
  }

  /**
   * The parts of a start other than new connections: what each rule lets out from it, less
   * what is meant to leave in clear and less what the new connections' findings cover already.
   */
  private static void beyond(Groups groups, RulesetAnalysis a, Map<Decider, Integer> leaks, RulesetAnalysis.Start start,
      int meant, int covered, List<Integer> kept) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    int all = Bdd.FALSE;
    for (int l : leaks.values()) all = b.or(all, b.diff(l, meant));
    List<Integer> k = new ArrayList<>(kept);
    k.addAll(List.of(meant, covered, all));
    Category c = start == RulesetAnalysis.Start.MARKED_PACKETS ? Category.VPN_ENDPOINT_TOO_BROAD : Category.DIRECT_LEAK;
    for (Map.Entry<Decider, Integer> e : leaks.entrySet()) {
      List<Integer> now = new ArrayList<>(k);
      now.addAll(groups.sets());
      s.collectIfDue(now);
      int set = b.diff(b.diff(e.getValue(), meant), covered);
      if (set != Bdd.FALSE) groups.add(c, e.getKey(), false, start, Map.of(TrafficKind.OTHER, set), all, "");
    }
  }

  /**
   * Parts of the same category, start and rule shape (see {@link #shapeOf}), their sets and
   * pieces united, in the order of their first rule.
   */
  private static final class Groups {
    private final RulesetAnalysis a;
    private final Map<String, Group> byKey = new LinkedHashMap<>();

    Groups(RulesetAnalysis a) {
      this.a = a;
    }

    private static final class Group {
      final Category category;
      final boolean declared;
      final RulesetAnalysis.Start start;
      final List<Decider> deciders = new ArrayList<>();
      final Map<TrafficKind, Integer> pieces = new EnumMap<>(TrafficKind.class);
      final int allLeaks;

      Group(Category category, boolean declared, RulesetAnalysis.Start start, int allLeaks) {
        this.category = category;
        this.declared = declared;
        this.start = start;
        this.allLeaks = allLeaks;
      }
    }

    void add(Category c, Decider d, boolean declared, RulesetAnalysis.Start start, Map<TrafficKind, Integer> pieces,
        int allLeaks, String severityKey) {
      Bdd b = a.space().bdd();
      String key = c + "|" + declared + "|" + start + "|" + severityKey + "|" + shapeOf(d);
      Group g = byKey.computeIfAbsent(key, x -> new Group(c, declared, start, allLeaks));
      g.deciders.add(d);
      pieces.forEach((kind, set) -> g.pieces.merge(kind, set, b::or));
    }

    /** Every set the groups hold, for collections. */
    List<Integer> sets() {
      List<Integer> out = new ArrayList<>();
      for (Group g : byKey.values()) {
        out.addAll(g.pieces.values());
        out.add(g.allLeaks);
      }
      return out;
    }

    Map<Category, List<LeakPart>> parts() {
      Bdd b = a.space().bdd();
      Map<Category, List<LeakPart>> out = new EnumMap<>(Category.class);
      for (Group g : byKey.values()) {
        int set = Bdd.FALSE;
        for (int p : g.pieces.values()) set = b.or(set, p);
        out.computeIfAbsent(g.category, x -> new ArrayList<>())
            .add(new LeakPart(a, g.deciders, set, g.pieces, g.declared, g.start, g.allLeaks));
      }
      return out;
    }
  }

  /** Options whose values tell rules of one shape apart: destinations, destination ports, ICMP types, comments. */
  private static final Set<String> VARYING = Set.of("-d", "--destination", "--dst", "--dst-range", "--dport",
      "--destination-port", "--dports", "--destination-ports", "--icmp-type", "--icmpv6-type", "--comment");

  /**
   * A rule's shape: its chain and {@link RuleWords words} with the values of {@link #VARYING}
   * options left out, so one allowance per server, or one rule per ICMP type, have the same
   * shape. A comment holding a {@code ksaudit:} directive stays in the shape: a rule whose
   * finding the user suppressed is a finding of its own, not part of its neighbours'. A policy
   * has a shape of its own.
   */
  static String shapeOf(Decider d) {
    if (d.rule().isEmpty()) return "policy " + d.table() + " " + d.chain();
    List<String> words = RuleWords.split(d.rule().get().text());
    StringBuilder sb = new StringBuilder(d.table()).append(' ').append(d.chain());
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      sb.append(' ').append(w);
      if (!VARYING.contains(w) || i + 1 >= words.size()) continue;
      if (words.get(i + 1).equals("!")) {
        sb.append(" !");
        i++;
      }
      i++;
      boolean directive = w.equals("--comment") && i < words.size()
          && words.get(i).regionMatches(true, 0, SuppressionDirective.PREFIX, 0, SuppressionDirective.PREFIX.length());
      sb.append(' ').append(directive ? words.get(i) : "_");
    }
    return sb.toString();
  }

  /** Whether the rule tests a destination port range that holds a DNS port. */
  static boolean namesDnsPort(RulesetAnalysis a, Decider d) {
    if (d.rule().isEmpty()) return false;
    for (Condition c : decode(a, d, d.rule().get()).conditions()) {
      if (c instanceof Condition.PortIn pi && pi.dir() != Dir.SRC && !pi.negated()) {
        for (PortRange r : pi.ranges()) for (int port : DNS_PORTS) if (r.contains(port)) return true;
      }
    }
    return false;
  }

  /**
   * A server allowance by its traffic: the rule tests destination ports, and what it lets out
   * is TCP or UDP to one host, no DNS among it (a server on other ports, such as
   * {@code --dports 1195,1196}, is as much a VPN allowance as one on 1194).
   */
  static boolean isServerShaped(RulesetAnalysis a, Decider d, int set, int dns) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    if (d.rule().isEmpty() || b.intersects(set, dns)) return false;
    if (!s.origDst.min(set).equals(s.origDst.max(set))) return false;
    if (!b.subset(set, b.or(s.proto.eq(Packet.TCP), s.proto.eq(Packet.UDP)))) return false;
    for (Condition c : decode(a, d, d.rule().get()).conditions()) {
      if (c instanceof Condition.PortIn pi && pi.dir() != Dir.SRC && !pi.negated()) return true;
    }
    return false;
  }

  /** RFC 1918, shared address space (CGNAT); IPv6 unique-local. Link-local ranges are {@link LinkScope}'s. */
  static List<Cidr> privateRanges(Family f) {
    if (f == Family.IPV4) {
      return List.of(cidr(f, "10.0.0.0", 8), cidr(f, "172.16.0.0", 12), cidr(f, "192.168.0.0", 16),
          cidr(f, "100.64.0.0", 10));
    }
    return List.of(cidr(f, "fc00::", 7));
  }

  /** The usual VPN protocols' traffic: {@link #VPN_SERVICES} as a set. */
  static int vpnServices(PacketSpace s) {
    Bdd b = s.bdd();
    int out = Bdd.FALSE;
    for (Service sv : VPN_SERVICES) out = b.or(out, b.and(s.proto.eq(sv.proto()), s.origDport.eq(sv.port())));
    return out;
  }

  /**
   * Packets the kernel never sends, whatever the rules say: TCP to a multicast or broadcast
   * address (connect() refuses it).
   */
  static int neverSent(PacketSpace s) {
    Bdd b = s.bdd();
    return b.and(s.proto.eq(Packet.TCP), s.dstTypeIn(List.of(AddrType.MULTICAST, AddrType.BROADCAST)));
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
      // a VPN server is a unicast host: a multicast or link-local group (mDNS on 224.0.0.251:5353) is none
      BigInteger h = host;
      Family f = a.ruleset().family();
      if (AddrType.classify(f, h, BigInteger.ONE.negate()) != AddrType.UNICAST) continue;
      if (LinkScope.destinations(f).stream().anyMatch(c -> c.contains(h))) continue;
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
