package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.diagnostic.Severity;

/**
 * One finding a fixture expects, in the terms a test compares: ID, kind, severity, certainty,
 * the line it points at (none for a finding about a whole file) and every line it covers. Two
 * findings compare equal exactly when a reader of the report could not tell them apart by
 * these fields, so comparing lists of them catches a duplicate, a demotion, a finding on the
 * wrong rule and a location too many or too few.
 */
record Expected(String id, FindingKind kind, Severity severity, Certainty certainty, Optional<Integer> line, List<Integer> locations)
    implements Comparable<Expected> {
  /** IDs whose findings are about the rules themselves rather than about packets. */
  static final Set<String> RULESET_IDS = Set.of("KS101", "KS108", "KS109", "KS110", "KS112");

  Expected {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(certainty, "certainty");
    Objects.requireNonNull(line, "line");
    locations = List.copyOf(locations);
  }

  static Expected of(Finding f) {
    List<Integer> lines = new ArrayList<>();
    for (Location l : f.locations()) lines.add(l.pos().line());
    return new Expected(f.id(), f.kind(), f.severity(), f.certainty(), f.line(), lines);
  }

  /** The kind a finding of {@code id} has unless its expectation names another. */
  static FindingKind defaultKind(String id) {
    return RULESET_IDS.contains(id) ? FindingKind.RULESET : FindingKind.NEW_CONNECTION;
  }

  Expected withMoreLine(int more) {
    List<Integer> l = new ArrayList<>(locations);
    l.add(more);
    return new Expected(id, kind, severity, certainty, line, l);
  }

  @Override
  public int compareTo(Expected o) {
    int c = Integer.compare(line.orElse(0), o.line.orElse(0));
    return c != 0 ? c : toString().compareTo(o.toString());
  }

  @Override
  public String toString() {
    return id + " " + severity.label() + " " + certainty.label() + " " + kind.jsonName() + " "
        + line.map(l -> "line " + l + (locations.size() > 1 ? " and " + locations.subList(1, locations.size()) : "")).orElse("file");
  }
}
