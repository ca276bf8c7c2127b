package org.ksaudit.check;

import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.RulesetAnalysis;

/**
 * The packets of one category that one rule (or policy) lets out when the tunnel is gone,
 * starting from {@code start} (new connections, connections open when the tunnel went down,
 * or marked packets); {@code declared} when the user said they are meant to leave in clear
 * (--allow-lan).
 */
public record LeakPart(RulesetAnalysis analysis, Decider decider, int set, boolean declared, RulesetAnalysis.Start start) {
  /** A part of the new-connection scenario. */
  public LeakPart(RulesetAnalysis analysis, Decider decider, int set, boolean declared) {
    this(analysis, decider, set, declared, RulesetAnalysis.Start.NEW_CONNECTIONS);
  }
}
