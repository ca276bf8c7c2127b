package org.ksaudit.report;

import java.time.Instant;
import java.util.Objects;

/** One run of {@code ksaudit report} as the history chart draws it: when, and how many findings and measured leaks. */
public record RunSummary(Instant at, int findings, int measuredLeaks) {
  public RunSummary {
    Objects.requireNonNull(at, "at");
    if (findings < 0 || measuredLeaks < 0) throw new IllegalArgumentException("counts are never negative");
  }
}
