package org.ksaudit.parse;

/** What one rule line does to the restore: run a command, nothing, or end the restore early. */
sealed interface LineOutcome {
  /** A command to run against the open table. */
  record Run(RuleCommand command) implements LineOutcome {}

  /** Nothing to run: the line was refused (and reported), or it is marked for the other family. */
  record Nothing() implements LineOutcome {}

  /** -h or -V: iptables-restore prints and exits with status 0, loading nothing after this line. */
  record EndsRestore() implements LineOutcome {}
}
