package org.ksaudit.report;

import java.util.Locale;

/** An output format of {@code check} (and of {@code trace} and {@code probe}, which write some of them). */
public enum Format {
  TEXT,
  JSON,
  SARIF,
  JUNIT;

  /** The writer of a check report in this format. */
  public ReportWriter writer(OutputStyle style) {
    return switch (this) {
      case TEXT -> new TextReport(style.color());
      case JSON -> new JsonReport();
      case SARIF -> new SarifReport(style.sarifBase());
      case JUNIT -> new JunitReport();
    };
  }

  /** As written on the command line: {@code sarif}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The label: picocli names the accepted values by it when it refuses one. */
  @Override
  public String toString() {
    return label();
  }
}
