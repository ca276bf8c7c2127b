package org.ksaudit.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.ChangeKind;

/**
 * The reported findings one run has and the previous one did not (new), and the reverse (fixed).
 * A finding is the same when its ID, witness class and rules are; a finding of the same ID and
 * class that shares a rule with an earlier one is that finding grown (new: it now also covers a
 * rule, a new way out) or shrunk (fixed: a rule no longer lets the packets out), so that one rule
 * changed in a group of rules is one change, not a finding fixed and another new.
 */
final class FindingChanges {
  private FindingChanges() {}

  /** The changes, new before fixed; {@code worse} when a new one fails the run at {@code failOn}. */
  record Result(List<ChangeItem> items, boolean worse) {
    Result {
      items = List.copyOf(items);
    }
  }

  static Result between(List<RecordedFinding> before, List<RecordedFinding> now, Optional<Severity> failOn) {
    List<RecordedFinding> left = new ArrayList<>(before.stream().filter(RecordedFinding::reported).toList());
    List<RecordedFinding> unmatched = new ArrayList<>();
    for (RecordedFinding c : now.stream().filter(RecordedFinding::reported).toList()) {
      Optional<RecordedFinding> p = left.stream().filter(c::same).findFirst();
      if (p.isPresent()) left.remove(p.get());
      else unmatched.add(c);
    }
    List<ChangeItem> added = new ArrayList<>();
    List<ChangeItem> fixed = new ArrayList<>();
    boolean worse = false;
    for (RecordedFinding c : unmatched) {
      Optional<RecordedFinding> p = left.stream().filter(c::overlaps).findFirst();
      boolean fails = failOn.isPresent() && c.severity().atLeast(failOn.get());
      if (p.isEmpty()) {
        added.add(item(ChangeKind.NEW_FINDING, "new: " + c.where() + ": " + c.title() + ": " + c.message(), c));
        worse |= fails;
        continue;
      }
      left.remove(p.get());
      Set<String> more = minus(c.rules(), p.get().rules());
      Set<String> fewer = minus(p.get().rules(), c.rules());
      if (!more.isEmpty()) {
        added.add(item(ChangeKind.NEW_FINDING, "new: " + c.where() + ": " + c.title() + " now also through " + rules(more) + ": "
            + c.message(), c));
        worse |= fails;
      }
      if (!fewer.isEmpty())
        fixed.add(item(ChangeKind.FIXED_FINDING, "fixed: " + c.where() + ": " + c.title() + " no longer through " + rules(fewer), c));
    }
    for (RecordedFinding p : left) {
      Optional<RecordedFinding> accepted = now.stream().filter(c -> !c.reported() && (c.same(p) || c.overlaps(p))).findFirst();
      String text = accepted.isPresent()
          ? "no longer reported: " + p.title() + ", at " + p.where() + " before, is now suppressed (" + accepted.get().suppressedBy().get() + ")"
          : "fixed: " + p.title() + ", at " + p.where() + " before: " + p.message();
      fixed.add(item(ChangeKind.FIXED_FINDING, text, accepted.orElse(p)));
    }
    List<ChangeItem> items = new ArrayList<>(added);
    items.addAll(fixed);
    return new Result(items, worse);
  }

  private static ChangeItem item(ChangeKind kind, String text, RecordedFinding at) {
    return new ChangeItem(kind, text, at.file(), at.file().isPresent() ? at.line() : OptionalInt.empty());
  }

  private static Set<String> minus(Set<String> a, Set<String> b) {
    Set<String> out = new TreeSet<>(a);
    out.removeAll(b);
    return out;
  }

  private static String rules(Set<String> rules) {
    return String.join(" | ", rules.stream().map(r -> "'" + r + "'").toList());
  }
}
