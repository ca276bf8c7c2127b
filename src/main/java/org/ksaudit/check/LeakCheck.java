package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;

/**
 * The shape every OUTPUT leak check shares: for each part of its category (one per rule or
 * policy), pick a telling witness, point at the rule, and say what leaves and why.
 */
abstract class LeakCheck implements Check {
  /** The kind of traffic this check takes from what a rule lets out (see {@link LeakPartition}). */
  abstract TrafficKind kind();

  /**
   * Of {@code left}, what rule {@code d} lets out that the more specific checks did not take,
   * the packets of this check's kind.
   */
  abstract PacketSet piece(LeakScene scene, Decider d, PacketSet left);

  /**
   * Whether a rule whose traffic has this shape is this check's finding; the most specific
   * check that claims it gets it (see {@link LeakPartition#BY_SPECIFICITY}).
   */
  abstract boolean claims(LeakShape shape);

  /** What tells rules of one shape apart into findings of their own beyond their category, e.g. their severity. */
  String subgroup(LeakScene scene, Map<TrafficKind, PacketSet> pieces) {
    return "";
  }

  /** Starts other than new connections whose leaks this check reports. */
  List<RulesetAnalysis.Start> laterStarts() {
    return List.of();
  }

  /** For {@link #laterStarts}: what leaves in clear anyway, so that losing the tunnel changes nothing for it. */
  PacketSet inClear(LeakScene scene) {
    return scene.scope().all();
  }

  /**
   * For {@link #laterStarts}: of the new connections' leaks ({@code possibleNew}, whatever the
   * undecided matches say), what covers a packet of a later start already.
   */
  PacketSet coveredByNew(PacketSet possibleNew) {
    return possibleNew;
  }

  /** The check's own witness preferences, most important first. */
  abstract List<PacketSet> preferences(LeakPart part);

  /** What leaves, in words; the cause and the interfaces are added by {@link #run}. */
  abstract String what(LeakPart part, Witnesses.Picked picked);

  /** Options of the rule to point at, first present wins (else the target). */
  abstract List<String> pointAt();

  /** Options of the rule to point at for one part; by default the check's {@link #pointAt()}. */
  List<String> pointAt(LeakPart part) {
    return pointAt();
  }

  Severity severity(LeakPart part) {
    return info().severity();
  }

  /** Where the finding points: the deciding rule or policy by default. */
  Optional<Location> location(LeakPart part, Witnesses.Picked picked) {
    return Locations.of(part.decider(), pointAt(part));
  }

  /**
   * How sure the finding is: what the engine computed for the witness, except for starts
   * whose packets are not proved to exist. A marked packet needs software that sets the mark;
   * a TEE rule's own matches may take more than the chains leading to it pass.
   */
  Certainty certainty(LeakPart part, Witnesses.Picked picked) {
    return switch (part.start()) {
      case MARKED_PACKETS, TEE_COPIES -> Certainty.POSSIBLE;
      case NEW_CONNECTIONS, OPEN_CONNECTIONS -> picked.certainty();
    };
  }

  @Override
  public AuditContext.Purpose purpose() {
    return AuditContext.Purpose.OUTPUT_LEAKS;
  }

  @Override
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      boolean v6Off = rs.family() == Family.IPV6 && ctx.options().sysctl().ipv6() == Sysctl.Ipv6.DISABLED;
      for (LeakPart p : ctx.leakParts(rs, info().category())) {
        List<PacketSet> prefs = new ArrayList<>();
        // the witness shows the weakness the finding is about, not another kind of its traffic
        if (p.pieces().containsKey(primary(p))) prefs.add(p.pieces().get(primary(p)));
        prefs.addAll(preferences(p));
        Witnesses.Picked w = Witnesses.pick(p.analysis(), p.scope(), Path.OUTPUT, p.set(), prefs, p.start(), p.allLeaks());
        List<Traffic> traffic = traffic(p);
        String also = traffic.stream().filter(t -> t.kind() != primary(p)).map(Traffic::text).collect(Collectors.joining("; "));
        String msg = what(p, w) + ipsecOnly(p) + " can leave through " + SetText.interfaces(p.analysis(), p.set()) + " when the tunnel is gone: "
            + cause(p) + (also.isEmpty() || primary(p) == TrafficKind.OTHER ? "" : "; the same rule"
            + (p.deciders().size() > 1 ? "s" : "") + " also let" + (p.deciders().size() > 1 ? "" : "s") + " out " + also)
            + example(p, w);
        Severity sev = severity(p);
        if (v6Off) {
          sev = Severity.INFO;
          msg += " (IPv6 is disabled by the sysctl settings given, so this holds only if it is enabled again)";
        }
        Optional<Location> first = location(p, w);
        List<Location> locations = new ArrayList<>(first.stream().toList());
        for (Decider d : p.deciders().subList(1, p.deciders().size())) Locations.of(d, pointAt(p)).ifPresent(locations::add);
        if (first.isEmpty()) locations.clear();
        out.add(new Finding(info().id(), info().category(), FindingKind.of(p.start()), sev, certainty(p, w), rs.file(), first, msg,
            w.witness(), w.trace(), locations, traffic));
      }
    }
    return out;
  }

  /**
   * What {@code -m policy --pol ipsec} on the finding's rule means, which the engine leaves
   * undecided: only packets an IPsec policy of the host encrypts match, and those leave as ESP
   * to the IPsec peer, none once the IPsec tunnel (its policy) is gone.
   */
  static String ipsecOnly(LeakPart p) {
    for (Decider d : p.deciders()) {
      if (d.rule().isEmpty()) continue;
      for (org.ksaudit.model.Match m : d.rule().get().matches()) {
        if (!m.module().equals("policy")) continue;
        for (org.ksaudit.model.Option o : m.options()) {
          if (o.name().equals("--pol") && !o.negated() && o.value().toString().contains("ipsec")) {
            return " that an IPsec policy of the host encrypts (-m policy --pol ipsec: they leave as ESP to the IPsec peer,"
                + " and none match once that policy is gone with the tunnel)";
          }
        }
      }
    }
    return "";
  }

  /** The kind of traffic the finding is about; {@link TrafficKind#OTHER} for a leak that is about all of it. */
  TrafficKind primary(LeakPart p) {
    return TrafficKind.OTHER;
  }

  /** Everything that gets out through the part's rules, kind by kind, in words. */
  static List<Traffic> traffic(LeakPart p) {
    List<Traffic> out = new ArrayList<>();
    for (TrafficKind k : TrafficKind.values()) {
      PacketSet set = p.pieces().get(k);
      if (set != null) out.add(new Traffic(k, describe(k, p.analysis(), p.scope(), set)));
    }
    return out;
  }

  /** One kind of traffic in words: "DNS (UDP) to 141.98.255.0/24". */
  static String describe(TrafficKind k, RulesetAnalysis a, SetScope s, PacketSet set) {
    return switch (k) {
      case LINK_LOCAL -> "link-local " + packets(a, s, set);
      case VPN -> VpnEndpointCheck.vpnTraffic(a, s, set);
      case DNS -> DnsLeakCheck.dnsTraffic(a, s, set);
      case LAN -> "LAN traffic: " + packets(a, s, set);
      case OTHER -> packets(a, s, set);
    };
  }

  /** "UDP (ports 1195-1197 and 1300-1302) to 141.98.255.0/24": protocols, every limiting condition, destinations. */
  static String packets(RulesetAnalysis a, SetScope s, PacketSet leak) {
    PacketSet set = SetText.shown(leak);
    List<String> conds = SetText.conditions(a, s, set);
    return SetText.protocols(set, a.ruleset().family()) + (conds.isEmpty() ? "" : " (" + String.join(", ", conds) + ")") + " to "
        + SetText.destinations(a, s, set);
  }

  /**
   * The example packet in words, for a part whose packets the lab cannot send as a probe (a
   * packet of an open connection, a marked packet): the message says what kind of packet the
   * witness is, which a reader of the message alone would otherwise miss.
   */
  static String example(LeakPart p, Witnesses.Picked w) {
    if (p.start() == RulesetAnalysis.Start.NEW_CONNECTIONS) return "";
    return w.witness().map(x -> "; for example " + x.describe()).orElse("");
  }

  /** Why the packets get out: which rule or policy accepts them, and what the rule forgot. */
  static String cause(LeakPart p) {
    Decider d = p.decider();
    if (d.isAbsent()) return "the ruleset has no " + d.table() + " " + d.chain() + " chain, so the kernel's ACCEPT applies";
    if (d.isPolicy()) return "the policy of " + d.chain() + " accepts it";
    RuleDecoder.Decoded dec = LeakScene.decode(p.analysis(), d);
    // a jump decides only where the engine stopped following it (its chain is within the ruleset: the kernel refuses others)
    if (dec.action() instanceof TargetAction.Jump) {
      return "the analysis does not follow this jump (a limit of the engine, see the warning), so the chain it leads to may accept it";
    }
    boolean oif = dec.conditions().stream().anyMatch(c -> c instanceof Condition.IfaceIs i && i.dir() == Dir.DST);
    boolean many = p.deciders().size() > 1;
    String where = oif ? " outside the tunnel" : " on every interface (no -o)";
    if (ReturnAllowances.returns(dec)) {
      return (many ? "these rules return it" : "this rule returns it") + where + " to a chain whose ACCEPT policy lets it out";
    }
    return (many ? "these rules accept" : "this rule accepts") + " it" + where;
  }
}
