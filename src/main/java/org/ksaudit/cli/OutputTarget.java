package org.ksaudit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ksaudit.report.Format;

/** {@code --output FORMAT=FILE}: a report written to a file besides standard output. */
record OutputTarget(Format format, Path file) {
  /** Writes the report; a file that cannot be written is exit 3 with one line saying why. */
  void write(String report) throws Failure {
    try {
      Files.writeString(file, report, StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw Failure.output("cannot write the " + format.label() + " report to " + file + ": " + e.getMessage());
    }
  }
}
