package org.ksaudit.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.report.ExplainReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ksaudit explain ID}: what a finding means, why it leaks, how to fix it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Prints the documentation of a finding: what it means, why it leaks, an insecure and a",
      "secure example, and references. Without an ID, lists every check."
    },
    footer = ExitCodes.HELP)
public final class ExplainCommand implements Callable<Integer> {
  private final Streams io;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "A finding ID (KS102) or category (dns-leak)")
  String id;

  public ExplainCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure {
    if (id == null) {
      io.out().print(ExplainReport.list(CheckInfos.all()));
      return ExitCodes.CLEAN;
    }
    Optional<CheckInfo> c = CheckInfos.find(id.strip());
    if (c.isEmpty()) throw Failure.input("no check '" + id + "'; 'ksaudit rules' lists them all");
    io.out().print(ExplainReport.render(c.get()));
    return ExitCodes.CLEAN;
  }
}
