package org.ksaudit.analysis;

import java.util.List;
import java.util.Map;

/**
 * One member of a packet set, replayed: the packet as it entered the path ({@code first}, with
 * the scenario's state and marks), as the rules see it at the end of its path ({@code last},
 * after rewrites and routing), and the trace the concrete interpreter gives for it.
 */
public record Example(Packet first, Packet last, List<TraceStep> trace) {
  public Example {
    trace = List.copyOf(trace);
  }

  /** Any member of a non-empty set, the undecided matches as that member's assignment says. */
  static Example of(RuleDecoding decoding, PacketSpace s, int set, RulesetAnalysis.Start start, Path path) {
    boolean[] asg = s.first(set);
    Packet last = s.read(asg);
    Packet first = entering(s.readOriginal(asg), start, path);
    Map<UnknownKey, Boolean> outcomes = s.readUnknowns(asg);
    ConcreteInterpreter.Result r = new ConcreteInterpreter(decoding, UnknownOracle.of(outcomes)).run(path, first);
    return new Example(first, last, r.steps());
  }

  /**
   * The packet as it entered the path (rewrites along the path are replayed from it): the
   * scenario's state and marks. A packet of an open connection that NOTRACK left untracked
   * was ESTABLISHED before; a marked packet keeps the mark it ends with, which is the mark it
   * started with unless a MARK rule changed it.
   */
  static Packet entering(Packet orig, RulesetAnalysis.Start start, Path path) {
    if (path == Path.FORWARD) return orig;
    return switch (start) {
      case NEW_CONNECTIONS -> orig.withState(ConnState.NEW).withMark(0).withCtmark(0);
      case OPEN_CONNECTIONS -> orig.withState(orig.state() == ConnState.RELATED ? ConnState.RELATED : ConnState.ESTABLISHED)
          .withMark(0);
      case MARKED_PACKETS -> orig.withState(ConnState.NEW).withCtmark(0);
      case TEE_COPIES -> orig.withState(ConnState.UNTRACKED).withCtmark(0);
    };
  }
}
