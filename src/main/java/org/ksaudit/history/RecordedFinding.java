package org.ksaudit.history;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.report.RuleText;

/**
 * A finding as a run's report.json recorded it, with what identifies it from one run to the next
 * as a baseline does: its ID, its witness class (family, protocol and kind of packet: the address
 * moves with unrelated rules) and the rules it covers, compared by their text without counters
 * or comments, never by line number.
 *
 * @param suppressedBy why the finding is not reported (a comment, the config, a baseline), or empty
 */
public record RecordedFinding(String id, String category, Severity severity, String witnessClass, Set<String> rules,
    String message, Optional<String> file, OptionalInt line, Optional<String> suppressedBy) {
  public RecordedFinding {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(severity, "severity");
    rules = Collections.unmodifiableSet(new TreeSet<>(rules));
    Objects.requireNonNull(suppressedBy, "suppressedBy");
  }

  /** The findings of a check document ({@code $defs/check}). */
  static List<RecordedFinding> of(JsonNode check) throws HistoryException {
    List<RecordedFinding> out = new ArrayList<>();
    JsonNode findings = check.path("findings");
    if (!findings.isArray()) throw new HistoryException("its check report has no findings array");
    for (JsonNode f : findings) {
      Severity severity;
      try {
        severity = Severity.parse(f.path("severity").asText());
      } catch (IllegalArgumentException e) {
        throw new HistoryException("a finding has " + e.getMessage());
      }
      JsonNode w = f.path("witness");
      String witness = (w.isObject() ? w.path("family").asText() + " " + w.path("proto").asText() : "none") + " "
          + f.path("kind").asText();
      Set<String> rules = new TreeSet<>();
      for (JsonNode l : f.path("locations")) rules.add(RuleText.normalised(l.path("text").asText()));
      JsonNode s = f.path("suppressed");
      out.add(new RecordedFinding(f.path("id").asText(), f.path("category").asText(), severity, witness, rules,
          f.path("message").asText(), text(f.path("file")), f.path("line").isInt() ? OptionalInt.of(f.path("line").asInt())
              : OptionalInt.empty(), s.isObject() ? Optional.of(s.path("kind").asText() + ": " + s.path("reason").asText())
                  : Optional.empty()));
    }
    return out;
  }

  private static Optional<String> text(JsonNode n) {
    return n.isTextual() ? Optional.of(n.asText()) : Optional.empty();
  }

  public boolean reported() {
    return suppressedBy.isEmpty();
  }

  /** The same finding: same ID, witness class and rules. */
  boolean same(RecordedFinding o) {
    return id.equals(o.id) && witnessClass.equals(o.witnessClass) && rules.equals(o.rules);
  }

  /** The same finding grown or shrunk: same ID and witness class, and some rule in common. */
  boolean overlaps(RecordedFinding o) {
    return id.equals(o.id) && witnessClass.equals(o.witnessClass) && !Collections.disjoint(rules, o.rules);
  }

  /** Where it points: {@code FILE:LINE}, the file alone, or that it points at no ruleset given. */
  String where() {
    if (file.isEmpty()) return "(no ruleset)";
    return line.isPresent() ? file.get() + ":" + line.getAsInt() : file.get();
  }

  /** {@code KS102 dns-leak (error)} */
  String title() {
    return id + " " + category + " (" + severity.label() + ")";
  }
}
