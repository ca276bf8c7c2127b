package org.ksaudit.cli;

import java.nio.file.Path;
import org.ksaudit.report.Format;

/** {@code --output FORMAT=FILE}: a report written to a file besides standard output. */
record OutputTarget(Format format, Path file) {}
