package org.ksaudit.history;

import java.util.Objects;
import org.ksaudit.model.Family;

/** A copy of the audited rules of a family that a run folder holds ({@code file}), and the name they were read under. */
public record RecordedRules(Family family, String file, String source) {
  public RecordedRules {
    Objects.requireNonNull(family, "family");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
  }
}
