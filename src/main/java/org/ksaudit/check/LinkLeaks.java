package org.ksaudit.check;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.model.Ruleset;

/**
 * What the rules let out through one named link to one destination when the tunnel is gone:
 * the question a host's routes ask (a live audit knows which link its default route leaves by,
 * which a file audit does not). Answered by the same analysis as the audit's leak checks.
 */
public final class LinkLeaks {
  private LinkLeaks() {}

  /**
   * The new connections to {@code dst} (as the application addresses it) from a process of owner
   * {@code uid} that leave through {@code link}: a witness, whether it leaks whatever the
   * undecided matches say, the packets in words, and the witness's trace.
   */
  public record Answer(Optional<Witness> witness, Certainty certainty, String packets, List<TraceStep> trace) {
    public Answer {
      trace = List.copyOf(trace);
    }
  }

  /** Empty when the rules stop every such packet. */
  public static Optional<Answer> newConnections(Ruleset rules, TunnelChoice tunnels, String link, BigInteger dst, long uid) {
    RulesetAnalysis a = new RulesetAnalysis(rules, tunnels.patterns(), tunnels.excluded(), List.of(link));
    try (SetScope s = a.openScope()) {
      PacketSet all = s.union(a.letOut(s, Path.OUTPUT, RulesetAnalysis.Start.NEW_CONNECTIONS).values());
      PacketSet asked = s.leavingThrough(List.of(link)).and(s.where(PacketField.ORIG_DST, dst)).and(s.where(PacketField.UID, uid));
      PacketSet out = all.and(asked);
      if (out.isEmpty()) return Optional.empty();
      Witnesses.Picked w = Witnesses.pick(a, s, Path.OUTPUT, out, List.of(), RulesetAnalysis.Start.NEW_CONNECTIONS,
          all);
      return Optional.of(new Answer(w.witness(), w.certainty(), LeakCheck.packets(a, s, out), w.trace()));
    }
  }
}
