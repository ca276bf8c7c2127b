package org.ksaudit.cli;

import picocli.CommandLine.Command;

/** The top-level command: only subcommands do work. */
@Command(
    name = "ksaudit",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = "VPN killswitch auditor for Linux: finds the packets an iptables killswitch lets out when the tunnel is gone.",
    subcommands = {CheckCommand.class, DiffCommand.class, TraceCommand.class, ExplainCommand.class, RulesCommand.class,
        ProbeCommand.class, ReportCommand.class},
    footer = ExitCodes.HELP)
public final class KsauditCommand implements java.util.concurrent.Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.INPUT;
  }
}
