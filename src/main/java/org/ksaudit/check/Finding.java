package org.ksaudit.check;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.diagnostic.Severity;

/**
 * One result of the killswitch audit. {@code file} is the ruleset it concerns ("" when it
 * concerns a ruleset that was not given, such as a missing IPv6 dump); {@code kind} says which
 * packets it is about; {@code location} is the rule or chain it points at, and
 * {@code locations} every rule of the same shape the finding covers, that one first (empty
 * without a location); {@code traffic} is everything that gets out through them, kind by kind
 * (empty for findings that are no leak); {@code witness} is a packet that shows it and
 * {@code trace} that packet's path through the rules. {@code suppressed} says why the finding is not
 * reported (an inline comment, a config ignore, a baseline): such a finding stays in the JSON
 * output, marked, and counts for no exit code.
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
    List<TraceStep> trace,
    List<Location> locations,
    List<Traffic> traffic,
    Optional<Suppression> suppressed) {
  /** A finding as a check reports it: not suppressed. */
  public Finding(String id, Category category, FindingKind kind, Severity severity, Certainty certainty, String file,
      Optional<Location> location, String message, Optional<Witness> witness, List<TraceStep> trace, List<Location> locations,
      List<Traffic> traffic) {
    this(id, category, kind, severity, certainty, file, location, message, witness, trace, locations, traffic, Optional.empty());
  }

  /** A finding about one rule (or none), with no traffic to list. */
  public Finding(String id, Category category, FindingKind kind, Severity severity, Certainty certainty, String file,
      Optional<Location> location, String message, Optional<Witness> witness, List<TraceStep> trace) {
    this(id, category, kind, severity, certainty, file, location, message, witness, trace, location.stream().toList(), List.of());
  }

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
    locations = List.copyOf(locations);
    traffic = List.copyOf(traffic);
    Objects.requireNonNull(suppressed, "suppressed");
    if (location.isPresent() != !locations.isEmpty() || (location.isPresent() && !locations.get(0).equals(location.get())))
      throw new IllegalArgumentException("locations must start with the location");
  }

  /** The same finding, suppressed for this reason. */
  public Finding suppressedBy(Suppression s) {
    return new Finding(id, category, kind, severity, certainty, file, location, message, witness, trace, locations, traffic,
        Optional.of(s));
  }

  /** The same finding with another message (the backend it holds for, say). */
  public Finding withMessage(String m) {
    return new Finding(id, category, kind, severity, certainty, file, location, m, witness, trace, locations, traffic, suppressed);
  }

  /** Whether the finding is reported: not suppressed. */
  public boolean reported() {
    return suppressed.isEmpty();
  }

  public Optional<Integer> line() {
    return location.map(l -> l.pos().line());
  }
}
