package org.ksaudit.cli;

/**
 * A run that stops before its report, with the exit code and the one line that says why.
 * {@link Main} prints it (and, with {@code --format json}, a JSON document beside it), so every
 * command ends the same way.
 */
final class Failure extends Exception {
  private final int exitCode;
  private final boolean usage;

  private Failure(int exitCode, boolean usage, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
    this.usage = usage;
  }

  /** The command line is wrong: exit 2, and the line points to --help. */
  static Failure usage(String message) {
    return new Failure(ExitCodes.INPUT, true, message);
  }

  /** The input cannot be used: exit 2. */
  static Failure input(String message) {
    return new Failure(ExitCodes.INPUT, false, message);
  }

  /** A report cannot be written where the command line asks: exit 3, as for standard output. */
  static Failure output(String message) {
    return new Failure(ExitCodes.INTERNAL, false, message);
  }

  /** The probe lab cannot be built: exit 4. */
  static Failure lab(String message) {
    return new Failure(ExitCodes.LAB, false, message);
  }

  int exitCode() {
    return exitCode;
  }

  boolean usage() {
    return usage;
  }
}
