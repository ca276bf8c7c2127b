package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Ruleset;

/**
 * Answers "what happens to this packet?" for locally generated packets (the OUTPUT path) and
 * for packets routed through the host (the FORWARD path: those that arrived on an input
 * interface): the concrete path through the rules (unknown matches taken as not matching)
 * and, from the set engine, every verdict the packet could get whatever those unknown
 * matches decide.
 */
public final class Tracer {
  private final Optional<Ruleset> ruleset;
  private final Optional<RulesetAnalysis> analysis;

  /** @param names every interface name (output and input) the traced packets will use */
  public Tracer(Optional<Ruleset> ruleset, Collection<String> names) {
    this.ruleset = ruleset;
    this.analysis = ruleset.map(rs -> new RulesetAnalysis(rs, List.of(), names));
  }

  /**
   * The answer for one packet on its path; {@code possible} has more than one verdict when
   * unknown matches decide; {@code rewritten} is the packet as the rules left it (NAT, MARK).
   */
  public record Traced(Packet packet, Path path, Verdict verdict, List<TraceStep> steps, Set<Verdict> possible,
      Packet rewritten) {
    public Traced {
      steps = List.copyOf(steps);
      possible = Set.copyOf(possible);
    }

    public boolean certain() {
      return possible.size() <= 1;
    }
  }

  /** Traces a packet on its path: FORWARD when it has an input interface, OUTPUT otherwise. */
  public Traced trace(Packet p) {
    Path path = Forwarded.pathOf(p);
    if (ruleset.isEmpty()) return new Traced(p, path, Verdict.ACCEPT, List.of(), EnumSet.of(Verdict.ACCEPT), p);
    ConcreteInterpreter.Result r = new ConcreteInterpreter(ruleset.get(), UnknownOracle.NONE).run(path, p);
    Set<Verdict> possible = EnumSet.of(r.verdict());
    if (r.metUnknown()) possible = possibleVerdicts(path, p);
    return new Traced(p, path, r.verdict(), new ArrayList<>(r.steps()), possible, r.finalPacket());
  }

  private Set<Verdict> possibleVerdicts(Path path, Packet p) {
    RulesetAnalysis a = analysis.get();
    PacketSpace s = a.space();
    SetEngine.Outcome o = a.engine().run(path, s.point(p), SetEngine.Routing.FIXED, Recorder.NONE);
    Set<Verdict> out = EnumSet.noneOf(Verdict.class);
    for (Verdict v : Verdict.values()) if (o.get(v) != Bdd.FALSE) out.add(v);
    return out;
  }
}
