package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.Ruleset;

/**
 * Answers "what happens to this packet?" for locally generated packets: the concrete path
 * through the rules (unknown matches taken as not matching) and, from the set engine, every
 * verdict the packet could get whatever those unknown matches decide.
 */
public final class Tracer {
  private final Optional<Ruleset> ruleset;
  private final Optional<RulesetAnalysis> analysis;

  /** @param names every output interface name the traced packets will use */
  public Tracer(Optional<Ruleset> ruleset, Collection<String> names) {
    this.ruleset = ruleset;
    this.analysis = ruleset.map(rs -> new RulesetAnalysis(rs, List.of(), names));
  }

  /** The answer for one packet; {@code possible} has more than one verdict when unknown matches decide. */
  public record Traced(Packet packet, Verdict verdict, List<TraceStep> steps, Set<Verdict> possible) {
    public Traced {
      steps = List.copyOf(steps);
      possible = Set.copyOf(possible);
    }

    public boolean certain() {
      return possible.size() <= 1;
    }
  }

  public Traced trace(Packet p) {
    if (ruleset.isEmpty()) return new Traced(p, Verdict.ACCEPT, List.of(), EnumSet.of(Verdict.ACCEPT));
    ConcreteInterpreter.Result r = new ConcreteInterpreter(ruleset.get(), UnknownOracle.NONE).run(Path.OUTPUT, p);
    Set<Verdict> possible = EnumSet.of(r.verdict());
    if (r.metUnknown()) possible = possibleVerdicts(p);
    return new Traced(p, r.verdict(), new ArrayList<>(r.steps()), possible);
  }

  private Set<Verdict> possibleVerdicts(Packet p) {
    RulesetAnalysis a = analysis.get();
    PacketSpace s = a.space();
    SetEngine.Outcome o = a.engine().run(Path.OUTPUT, s.point(p), SetEngine.Routing.FIXED, Recorder.NONE);
    Set<Verdict> out = EnumSet.noneOf(Verdict.class);
    for (Verdict v : Verdict.values()) if (o.get(v) != Bdd.FALSE) out.add(v);
    return out;
  }
}
