package org.ksaudit.diagnostic;

/** How bad a diagnostic or finding is; ordered from least to most severe. */
public enum Severity {
  INFO("info"),
  WARNING("warning"),
  ERROR("error");

  private final String label;

  Severity(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public boolean atLeast(Severity other) {
    return compareTo(other) >= 0;
  }

  public static Severity parse(String s) {
    for (Severity v : values()) if (v.label.equalsIgnoreCase(s)) return v;
    throw new IllegalArgumentException("unknown severity '" + s + "' (expected info, warning or error)");
  }
}
