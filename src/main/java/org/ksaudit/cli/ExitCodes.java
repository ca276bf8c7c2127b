package org.ksaudit.cli;

/** The exit codes of every ksaudit command; documented in --help. */
public final class ExitCodes {
  private ExitCodes() {}

  /** Nothing at or above the fail threshold. */
  public static final int CLEAN = 0;
  /** Findings (or measured leaks) at or above the threshold. */
  public static final int FINDINGS = 1;
  /** Usage error or bad input: unreadable, binary or oversized file, bad value, syntax error, unknown family. */
  public static final int INPUT = 2;
  /** Internal error: a bug in ksaudit, or output that could not be written. */
  public static final int INTERNAL = 3;
  /** The probe lab could not be built (not root, missing tools). */
  public static final int LAB = 4;

  public static final String HELP = "%nExit codes:%n"
      + "  0  no findings at or above the fail threshold%n"
      + "  1  findings at or above the threshold (probe: a leak was measured)%n"
      + "  2  usage error or bad input (unreadable, binary or oversized file, bad value, syntax error)%n"
      + "  3  internal error, or (probe) static analysis and measurement disagree: a bug to report;%n"
      + "     or the output could not be written (disk full, closed pipe)%n"
      + "  4  probe (and report --lab) only: the lab could not be built (not root, missing tools)%n"
      + "report: 1 when something got worse since the previous run, 0 when nothing did%n";
}
