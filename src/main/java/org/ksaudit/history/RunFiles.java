package org.ksaudit.history;

import org.ksaudit.model.Family;

/** The names of what a run folder holds. */
public final class RunFiles {
  private RunFiles() {}

  /** The run's report: the audit, the lab, the changes (schema: {@code $defs/report}). */
  public static final String JSON = "report.json";
  /** The page people read. */
  public static final String HTML = "report.html";
  /** The audit as SARIF 2.1.0, for code scanning. */
  public static final String SARIF = "report.sarif";
  /** The link in the out folder to the newest run folder. */
  public static final String LATEST = "latest";

  /** The copy of the audited rules of a family, which the next run compares its rules with. */
  public static String rules(Family f) {
    return f == Family.IPV4 ? "rules.v4" : "rules.v6";
  }
}
