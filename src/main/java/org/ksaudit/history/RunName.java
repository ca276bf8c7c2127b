package org.ksaudit.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A run folder's name: its UTC time in ISO 8601's basic form, to the millisecond
 * ({@code 20261205T194012.345Z}). Names sort as the times do, and hold no colon, which some
 * file systems and CI artifact uploads refuse.
 */
public final class RunName {
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private RunName() {}

  public static String of(Instant at) {
    return FORMAT.format(at.truncatedTo(ChronoUnit.MILLIS));
  }

  /** The time a folder name stands for; empty for a name that is not a run's. */
  public static Optional<Instant> parse(String name) {
    try {
      Instant at = FORMAT.parse(name, Instant::from);
      return of(at).equals(name) ? Optional.of(at) : Optional.empty();
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
