package org.ksaudit.check;

import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.LeakScenario;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.model.Family;

/**
 * One class of packets two versions of a killswitch treat differently: in a family and a
 * scenario, the later version lets it out and the earlier stopped it ({@code letOut}), or the
 * reverse. {@code location} is the rule or policy that lets it out, in {@code file} (none when
 * that version has no such table or chain: the kernel's default accepts); the witness is
 * replayed through both versions ({@code letOutTrace}, {@code stoppedTrace}; the latter empty
 * when the packet does not exist in that version). {@code backend} names the restore tool when
 * the change holds only as that backend loads the files, else it is empty.
 */
public record Difference(Family family, LeakScenario scenario, boolean letOut, Certainty certainty, String file,
    Optional<Location> location, Optional<Witness> witness, List<TraceStep> letOutTrace, List<TraceStep> stoppedTrace,
    String backend) {
  public Difference {
    letOutTrace = List.copyOf(letOutTrace);
    stoppedTrace = List.copyOf(stoppedTrace);
  }

  /** The same difference as a given backend loads the rules. */
  public Difference loadedBy(String tool) {
    return new Difference(family, scenario, letOut, certainty, file, location, witness, letOutTrace, stoppedTrace, tool);
  }

  /** What the difference is about, for telling the same change found twice (both backends) apart from another. */
  String key() {
    return family + " " + scenario + " " + letOut + " " + file + " " + location.map(l -> l.pos().toString()).orElse("");
  }
}
