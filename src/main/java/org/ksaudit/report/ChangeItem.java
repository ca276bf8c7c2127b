package org.ksaudit.report;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/** One change since the previous run: its kind, a sentence saying it, and the rule it is about when there is one. */
public record ChangeItem(ChangeKind kind, String text, Optional<String> file, OptionalInt line) {
  public ChangeItem {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(line, "line");
  }
}
