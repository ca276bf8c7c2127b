package org.ksaudit.check;

import java.util.List;
import java.util.Map;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;

/**
 * The packets one weakness lets out when the tunnel is gone, starting from {@code start} (new
 * connections, connections open when the tunnel went down, marked packets, TEE copies): what
 * the rules (or policy) {@code deciders} of one shape let out, the first the one a finding
 * points at; {@code pieces} splits the set by kind of traffic; {@code declared} when the user
 * said they are meant to leave in clear (--allow-lan). {@code allLeaks} is what every rule
 * lets out from the same start: a packet in it whatever the undecided matches say leaks for
 * certain, through whichever rule. The sets live in {@code scope}.
 */
public record LeakPart(RulesetAnalysis analysis, SetScope scope, List<Decider> deciders, PacketSet set,
    Map<TrafficKind, PacketSet> pieces, boolean declared, RulesetAnalysis.Start start, PacketSet allLeaks) {
  public LeakPart {
    deciders = List.copyOf(deciders);
    pieces = Map.copyOf(pieces);
    if (deciders.isEmpty()) throw new IllegalArgumentException("a leak part needs a rule or policy");
  }

  /** The rule or policy the finding points at. */
  public Decider decider() {
    return deciders.get(0);
  }

  /** The piece of one kind of traffic, or the whole set when the part has no such piece. */
  PacketSet piece(TrafficKind k) {
    return pieces.getOrDefault(k, set);
  }
}
