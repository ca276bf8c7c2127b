package org.ksaudit.analysis;

import java.util.List;

/**
 * One class of packets two rulesets treat differently in a scenario, as Batfish's
 * compareFilters pairs the lines of two filters: the rule (or policy) of the version that lets
 * the class out, and a witness replayed through both versions.
 *
 * @param letOut true when the later version lets the class out and the earlier stopped it;
 *     false for the reverse (the change blocks more)
 * @param by the decisive-stage rule or policy of the version that lets the class out
 * @param witness the packet as it starts on the scenario's path
 * @param finalPacket the witness as it leaves the version that lets it out (rewrites applied)
 * @param definite whether the witness is treated so whatever the matches the engine cannot decide say
 * @param letOutTrace the witness's way through the version that lets it out
 * @param stoppedTrace its way through the other version (empty when it does not exist there:
 *     a connection mark or a TEE copy only that version makes)
 */
public record LeakChange(LeakScenario scenario, boolean letOut, Decider by, Packet witness, Packet finalPacket,
    boolean definite, List<TraceStep> letOutTrace, List<TraceStep> stoppedTrace) {
  public LeakChange {
    letOutTrace = List.copyOf(letOutTrace);
    stoppedTrace = List.copyOf(stoppedTrace);
  }
}
