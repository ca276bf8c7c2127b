package org.ksaudit.report;

/** Writes a {@link CheckReport} in one format; what it returns is the whole document, ending with a newline. */
public interface ReportWriter {
  String write(CheckReport report);
}
