package org.ksaudit.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What changed between the previous run of {@code ksaudit report} (at {@code previousRun}) and
 * this one; {@code verdictChanged} is whether the one-line verdict differs, which is what
 * {@code --on-change} reacts to.
 */
public record RunChanges(Instant previousRun, boolean verdictChanged, List<ChangeItem> items) {
  public RunChanges {
    Objects.requireNonNull(previousRun, "previousRun");
    items = List.copyOf(items);
  }

  /** Whether anything got worse: a new finding or a new measured leak (a rule change that lets more out brings a new finding). */
  public boolean worse() {
    return items.stream().anyMatch(i -> i.kind() == ChangeKind.NEW_FINDING || i.kind() == ChangeKind.NEW_LEAK);
  }
}
