package org.ksaudit.cli;

import java.util.concurrent.Callable;
import org.ksaudit.report.ExplainReport;
import picocli.CommandLine.Command;

/** {@code ksaudit rules}: every finding ID with its category, default severity and one line. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Lists every finding ID with its category, default severity and what it reports, from the",
      "same text as 'ksaudit explain ID'."
    },
    footer = ExitCodes.HELP)
public final class RulesCommand implements Callable<Integer> {
  private final Streams io;

  public RulesCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    io.out().print(ExplainReport.list(CheckInfos.all()));
    return ExitCodes.CLEAN;
  }
}
