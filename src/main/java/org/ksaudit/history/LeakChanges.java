package org.ksaudit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.ChangeKind;

/**
 * The probes the lab measured leaking in one run and not in the previous (new), and the reverse
 * (fixed). A run without a lab measured nothing: after it every leak is new, and from it no leak
 * is called fixed.
 */
final class LeakChanges {
  private LeakChanges() {}

  static List<ChangeItem> between(Optional<List<RecordedLeak>> before, Optional<List<RecordedLeak>> now) {
    List<ChangeItem> out = new ArrayList<>();
    if (now.isEmpty()) return out;
    List<RecordedLeak> earlier = before.orElse(List.of());
    for (RecordedLeak l : now.get())
      if (earlier.stream().noneMatch(l::same)) out.add(item(ChangeKind.NEW_LEAK, "new leak in the lab: " + l.scenario() + ": " + l.text()));
    if (before.isPresent())
      for (RecordedLeak l : earlier)
        if (now.get().stream().noneMatch(l::same)) out.add(item(ChangeKind.FIXED_LEAK, "no longer leaks in the lab: " + l.scenario() + ": " + l.text()));
    return out;
  }

  private static ChangeItem item(ChangeKind kind, String text) {
    return new ChangeItem(kind, text, Optional.empty(), OptionalInt.empty());
  }
}
