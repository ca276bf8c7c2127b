package org.ksaudit.cli;

import java.util.Locale;
import java.util.Optional;
import org.ksaudit.diagnostic.Severity;

/**
 * The threshold of {@code --fail-on}: the least severity of a reported finding that makes the
 * exit code 1, or {@code never} for a run that reports without failing (a gate being adopted).
 */
enum FailOn {
  ERROR(Severity.ERROR),
  WARNING(Severity.WARNING),
  INFO(Severity.INFO),
  NEVER(null);

  private final Severity least;

  FailOn(Severity least) {
    this.least = least;
  }

  /** Whether a finding of this severity fails the run. */
  boolean fails(Severity s) {
    return least != null && s.atLeast(least);
  }

  /** The least severity that fails the run; none for {@code never}. */
  Optional<Severity> least() {
    return Optional.ofNullable(least);
  }

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  static FailOn parse(String text) {
    for (FailOn f : values()) if (f.label().equalsIgnoreCase(text.strip())) return f;
    throw new IllegalArgumentException("unknown severity '" + text + "' (expected error, warning, info or never)");
  }
}
