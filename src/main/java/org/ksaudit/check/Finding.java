package org.ksaudit.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.diagnostic.Severity;

/**
 * One result of the killswitch audit. {@code file} is the ruleset it concerns ("" when it
 * concerns a ruleset that was not given, such as a missing IPv6 dump); {@code location} is
 * the rule or chain it points at; {@code kind} says which packets it is about; {@code witness} is a packet that shows it and
 * {@code trace} that packet's path through the rules.
 */
public record Finding(
    String id,
    Category category,
    FindingKind kind,
    Severity severity,
    Certainty certainty,
    String file,
    Optional<Location> location,
    String message,
    Optional<Witness> witness,
    List<TraceStep> trace) {
  public Finding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(category, "category");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(certainty, "certainty");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(witness, "witness");
    trace = List.copyOf(trace);
  }

  public Optional<Integer> line() {
    return location.map(l -> l.pos().line());
  }
}
