package org.ksaudit.report;

import java.util.Locale;

/** An output format of {@code check} (and of {@code trace} and {@code probe}, which write some of them). */
public enum Format {
  TEXT,
  JSON,
  SARIF,
  JUNIT,
  HTML;

  /** The writer of a check report in this format. */
  public ReportWriter writer(OutputStyle style) {
    return switch (this) {
      case TEXT -> new TextReport(style.color(), style.listIgnored());
      case JSON -> new JsonReport();
      case SARIF -> new SarifReport(style.sarifBase());
      case JUNIT -> new JunitReport();
      case HTML -> new HtmlReport();
    };
  }

  /** A format as {@code .ksauditrc}'s {@code format} key names it, case-insensitive. */
  public static Format parse(String text) {
    for (Format f : values()) if (f.label().equalsIgnoreCase(text.strip())) return f;
    throw new IllegalArgumentException("'" + text + "' must be text, json, sarif, junit or html");
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
