package org.ksaudit.report;

import java.nio.file.Path;
import java.util.Optional;

/**
 * How the writers lay out what they write: colour in text (only where it reaches a terminal),
 * and the folder SARIF locations are relative to (the repository root; without it file names are
 * written as given, relative to the directory ksaudit runs in), and whether the text lists the
 * suppressed findings ({@code --list-ignored}; the other formats always carry them, marked).
 */
public record OutputStyle(boolean color, Optional<Path> sarifBase, boolean listIgnored) {
  public OutputStyle {
    java.util.Objects.requireNonNull(sarifBase, "sarifBase");
  }

  public static OutputStyle plain() {
    return new OutputStyle(false, Optional.empty(), false);
  }
}
