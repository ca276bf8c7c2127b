package org.ksaudit.check;

import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.RulesetAnalysis;

/**
 * The packets of one category that one rule (or policy) lets out when the tunnel is gone;
 * {@code declared} when the user said they are meant to leave in clear (--allow-lan).
 */
public record LeakPart(RulesetAnalysis analysis, Decider decider, int set, boolean declared) {}
