package org.ksaudit.history;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/** One run's folder in the out folder, and the time its name gives. */
public record RunFolder(Path path, Instant at) {
  public RunFolder {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(at, "at");
  }

  /** The report of the run, which every finished run folder holds. */
  public Path json() {
    return path.resolve(RunFiles.JSON);
  }
}
