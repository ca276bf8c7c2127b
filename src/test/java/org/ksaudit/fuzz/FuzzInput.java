package org.ksaudit.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * One input of the fuzz run: the files given to {@code ksaudit check} (each with the family it
 * is given as, or none to let ksaudit tell), the other options, and whether the kernel judges
 * it. {@code index} and the run's seed reproduce it ({@code -Dfuzz.seed=S -Dfuzz.only=INDEX}).
 */
record FuzzInput(int index, Kind kind, String origin, List<File> files, List<String> options, boolean judged) {
  /** How the input was made. */
  enum Kind {
    GENERATED,
    NEAR_VALID,
    BYTES
  }

  /** A file: its bytes and the family flag it is passed with (empty: by its name, {@code .v4}/{@code .v6}). */
  record File(Optional<Family> given, Family byName, byte[] bytes) {
    String text() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  FuzzInput {
    files = List.copyOf(files);
    options = List.copyOf(options);
  }

  Optional<File> file(Family f) {
    return files.stream().filter(x -> x.given().orElse(x.byName()) == f).findFirst();
  }

  String name() {
    return "input " + index + " (" + kind + ": " + origin + ")";
  }
}
