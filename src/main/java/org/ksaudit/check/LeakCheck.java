package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;

/**
 * The shape every OUTPUT leak check shares: for each part of its category (one per rule or
 * policy), pick a telling witness, point at the rule, and say what leaves and why.
 */
abstract class LeakCheck implements Check {
  /** The check's own witness preferences, most important first. */
  abstract List<Integer> preferences(LeakPart part);

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
  public List<Finding> run(AuditContext ctx) {
    List<Finding> out = new ArrayList<>();
    for (Ruleset rs : ctx.rulesets()) {
      boolean v6Off = rs.family() == Family.IPV6 && ctx.options().sysctl().ipv6() == Sysctl.Ipv6.DISABLED;
      for (LeakPart p : ctx.leakParts(rs, info().category())) {
        p.analysis().space().collectIfDue(List.of());
        Witnesses.Picked w = Witnesses.pick(p.analysis(), Path.OUTPUT, p.set(), preferences(p), p.start());
        String msg = what(p, w) + " can leave through " + SetText.interfaces(p.analysis(), p.set())
            + " when the tunnel is gone: " + cause(p) + example(p, w);
        Severity sev = severity(p);
        if (v6Off) {
          sev = Severity.INFO;
          msg += " (IPv6 is disabled by the sysctl settings given, so this holds only if it is enabled again)";
        }
        out.add(new Finding(info().id(), info().category(), FindingKind.of(p.start()), sev, certainty(p, w), rs.file(), location(p, w), msg,
            w.witness(), w.trace()));
      }
    }
    return out;
  }

  /**
   * The example packet in words, for a part whose packets the lab cannot send as a probe (a
   * packet of an open connection, a marked packet): the message says what kind of packet the
   * witness is, which a reader of the message alone would otherwise miss.
   */
  static String example(LeakPart p, Witnesses.Picked w) {
    if (p.start() == RulesetAnalysis.Start.NEW_CONNECTIONS) return "";
    Packet pk = w.packet();
    Family f = pk.family();
    String host = IpText.format(f, pk.dst());
    String proto = pk.proto() == Packet.TCP ? "tcp" : pk.proto() == Packet.UDP ? "udp"
        : pk.isIcmp() ? (f == Family.IPV4 ? "icmp" : "icmpv6") : "protocol " + pk.proto();
    String dst = pk.hasPorts() ? (f == Family.IPV6 ? "[" + host + "]" : host) + ":" + pk.dport() : host;
    String extra = p.start() == RulesetAnalysis.Start.MARKED_PACKETS
        ? "with mark 0x" + Long.toHexString(pk.mark()) : "in state " + pk.state();
    return "; for example " + f.label() + " " + proto + " " + dst + " out " + pk.oif() + " " + extra;
  }

  /** Why the packets get out: which rule or policy accepts them, and what the rule forgot. */
  static String cause(LeakPart p) {
    Decider d = p.decider();
    if (d.isAbsent()) return "the ruleset has no " + d.table() + " " + d.chain() + " chain, so the kernel's ACCEPT applies";
    if (d.isPolicy()) return "the policy of " + d.chain() + " accepts it";
    RuleDecoder.Decoded dec = LeakPartition.decode(p.analysis(), d, d.rule().get());
    // a jump decides only where the engine stopped following it (its chain is within the ruleset: the kernel refuses others)
    if (dec.action() instanceof TargetAction.Jump) {
      return "the analysis does not follow this jump (a limit of the engine, see the warning), so the chain it leads to may accept it";
    }
    boolean oif = dec.conditions().stream().anyMatch(c -> c instanceof Condition.IfaceIs i && i.dir() == Dir.DST);
    return oif ? "this rule accepts it outside the tunnel" : "this rule accepts it on every interface (no -o)";
  }
}
