package org.ksaudit.check;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;

/**
 * What each rule lets out, as weaknesses: what the user declared (the VPN server, --allow-lan)
 * is taken out first; each OUTPUT leak check, most specific first, takes its kind of traffic
 * from the rest, and the first check that claims the rule's traffic gets the rule as its
 * finding (see {@link #BY_SPECIFICITY}).
 */
final class LeakPartition {
  private LeakPartition() {}

  /**
   * The OUTPUT leak checks, most specific first: traffic that stays on the link; a VPN
   * allowance; a resolver; a range of private addresses; else a direct (IPv6) leak. Each
   * takes its kind of traffic from what the checks before it left.
   */
  static final List<LeakCheck> BY_SPECIFICITY = List.of(new LinkLocalCheck(), new VpnEndpointCheck(), new DnsLeakCheck(),
      new LanExemptionCheck(), new Ipv6LeakCheck(), new DirectLeakCheck());

  /**
   * One part per weakness: what each rule (or policy) lets out, less what is intended, with one
   * category (the most specific that fits); rules of the same shape and category are one part.
   */
  static Map<Category, List<LeakPart>> compute(AuditContext ctx, RulesetAnalysis a, SetScope s) {
    Map<RulesetAnalysis.Start, Map<Decider, PacketSet>> byStart = new EnumMap<>(RulesetAnalysis.Start.class);
    for (RulesetAnalysis.Start st : RulesetAnalysis.Start.values()) {
      byStart.put(st, ReturnAllowances.attribute(a, s, a.letOut(s, Path.OUTPUT, st)));
      if (st != RulesetAnalysis.Start.NEW_CONNECTIONS) a.forgetLeaks(st);
    }
    Map<Decider, PacketSet> leaks = byStart.get(RulesetAnalysis.Start.NEW_CONNECTIONS);
    LeakScene scene = LeakScene.of(ctx, a, s, leaks, byStart.get(RulesetAnalysis.Start.MARKED_PACKETS));

    Groups groups = new Groups(a, s);
    Map<Decider, PacketSet> uplink = new LinkedHashMap<>();
    leaks.forEach((d, l) -> uplink.put(d, l.minus(scene.notUplink())));
    PacketSet newLeaks = s.union(uplink.values());
    for (Map.Entry<Decider, PacketSet> e : uplink.entrySet()) {
      Decider d = e.getKey();
      PacketSet l = e.getValue();
      PacketSet declaredLan = l.and(scene.declaredLan());
      if (!declaredLan.isEmpty()) {
        groups.add(Category.LAN_EXEMPTION, d, true, RulesetAnalysis.Start.NEW_CONNECTIONS, Map.of(TrafficKind.LAN, declaredLan),
            newLeaks, "");
      }
      PacketSet rest = l.minus(scene.intended()).minus(scene.declaredLan());
      if (rest.isEmpty()) continue;
      Map<TrafficKind, PacketSet> pieces = new EnumMap<>(TrafficKind.class);
      PacketSet left = rest;
      for (LeakCheck c : BY_SPECIFICITY) {
        PacketSet piece = c.piece(scene, d, left);
        if (piece.isEmpty()) continue;
        pieces.put(c.kind(), piece);
        left = left.minus(piece);
      }
      PacketSet beyond = rest.minus(pieces.getOrDefault(TrafficKind.LINK_LOCAL, s.none()));
      LeakShape shape = new LeakShape(pieces, pieces.containsKey(TrafficKind.VPN), DnsLeakCheck.namesDnsPort(a, d),
          oneHost(scene, beyond), scene.family());
      LeakCheck owner = BY_SPECIFICITY.stream().filter(c -> c.claims(shape)).findFirst().orElseThrow();
      groups.add(owner.info().category(), d, false, RulesetAnalysis.Start.NEW_CONNECTIONS, pieces, newLeaks,
          owner.subgroup(scene, pieces));
    }
    // what the new connections let out is compared whatever the matches the engine cannot
    // interpret decide there (a possible leak is reported already)
    PacketSet possibleNew = newLeaks.possibly();
    for (RulesetAnalysis.Start st : RulesetAnalysis.Start.values()) {
      for (LeakCheck c : BY_SPECIFICITY) {
        if (c.laterStarts().contains(st)) later(groups, c, st, byStart.get(st), c.inClear(scene), c.coveredByNew(possibleNew));
      }
    }
    return groups.parts();
  }

  /** Whether what leaves beyond the link goes to one unicast host (a multicast group such as SSDP's 239.255.255.250 is none). */
  private static boolean oneHost(LeakScene scene, PacketSet beyond) {
    return !beyond.isEmpty() && beyond.single(PacketField.DST)
        .filter(h -> AddrType.classify(scene.family(), h, java.math.BigInteger.ONE.negate()) == AddrType.UNICAST).isPresent();
  }

  /**
   * The parts of a start other than new connections, for the check that reports them: what
   * each rule lets out from it, less what is meant to leave in clear and less what the new
   * connections' findings cover already.
   */
  private static void later(Groups groups, LeakCheck c, RulesetAnalysis.Start start, Map<Decider, PacketSet> leaks,
      PacketSet meant, PacketSet covered) {
    PacketSet all = groups.scope.union(leaks.values().stream().map(l -> l.minus(meant)).toList());
    for (Map.Entry<Decider, PacketSet> e : leaks.entrySet()) {
      PacketSet set = e.getValue().minus(meant).minus(covered);
      if (!set.isEmpty()) groups.add(c.info().category(), e.getKey(), false, start, Map.of(TrafficKind.OTHER, set), all, "");
    }
  }

  /**
   * Parts of the same category, start and rule shape (see {@link #shapeOf}), their sets and
   * pieces united, in the order of their first rule.
   */
  private static final class Groups {
    private final RulesetAnalysis a;
    private final SetScope scope;
    private final Map<String, Group> byKey = new LinkedHashMap<>();

    Groups(RulesetAnalysis a, SetScope scope) {
      this.a = a;
      this.scope = scope;
    }

    private static final class Group {
      final Category category;
      final boolean declared;
      final RulesetAnalysis.Start start;
      final List<Decider> deciders = new ArrayList<>();
      /** Each rule's piece of each kind, united when the part is made. */
      final Map<TrafficKind, List<PacketSet>> pieces = new EnumMap<>(TrafficKind.class);
      final PacketSet allLeaks;

      Group(Category category, boolean declared, RulesetAnalysis.Start start, PacketSet allLeaks) {
        this.category = category;
        this.declared = declared;
        this.start = start;
        this.allLeaks = allLeaks;
      }
    }

    void add(Category c, Decider d, boolean declared, RulesetAnalysis.Start start, Map<TrafficKind, PacketSet> pieces,
        PacketSet allLeaks, String subgroup) {
      String key = c + "|" + declared + "|" + start + "|" + subgroup + "|" + shapeOf(d);
      Group g = byKey.computeIfAbsent(key, x -> new Group(c, declared, start, allLeaks));
      g.deciders.add(d);
      pieces.forEach((kind, set) -> g.pieces.computeIfAbsent(kind, k -> new ArrayList<>()).add(set));
    }

    Map<Category, List<LeakPart>> parts() {
      Map<Category, List<LeakPart>> out = new EnumMap<>(Category.class);
      for (Group g : byKey.values()) {
        Map<TrafficKind, PacketSet> pieces = new EnumMap<>(TrafficKind.class);
        g.pieces.forEach((kind, sets) -> pieces.put(kind, scope.union(sets)));
        PacketSet set = scope.union(pieces.values());
        out.computeIfAbsent(g.category, x -> new ArrayList<>())
            .add(new LeakPart(a, scope, g.deciders, set, pieces, g.declared, g.start, g.allLeaks));
      }
      return out;
    }
  }

  /**
   * Options whose values tell rules of one shape apart: sources and destinations (Eddie's one
   * rule per private range, "-s R -d R"), destination ports, ICMP types, comments.
   */
  private static final Set<String> VARYING = Set.of("-s", "--source", "--src", "--src-range", "-d", "--destination", "--dst",
      "--dst-range", "--dport", "--destination-port", "--dports", "--destination-ports", "--icmp-type", "--icmpv6-type",
      "--comment");

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
}
