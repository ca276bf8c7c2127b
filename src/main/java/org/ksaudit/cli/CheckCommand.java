package org.ksaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.ksaudit.input.InputFile;
import org.ksaudit.live.HostState;
import org.ksaudit.report.CheckReport;
import org.ksaudit.report.Format;
import org.ksaudit.report.OutputStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/** {@code ksaudit check}: syntax diagnostics, then the killswitch audit. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Reads iptables-save / ip6tables-save dumps, reports every syntax or load error with its",
      "position, then audits the rules as a VPN killswitch in the scenario 'the tunnel is gone':",
      "which packets still leave through an interface other than the tunnel.",
      "Use '-' to read standard input: iptables-save | ksaudit check -",
      "With a directory, a quoted glob or more than two files: every host (HOST.v4 with HOST.v6), in parallel.",
      "Options not given are read from the nearest .ksauditrc (up to the repository root), else from",
      "$XDG_CONFIG_HOME/ksaudit/ksauditrc. A rule's comment \"ksaudit:ignore=ID REASON\" suppresses",
      "that rule's findings of that ID."
    },
    footer = ExitCodes.HELP)
public final class CheckCommand implements Callable<Integer> {
  private final Streams io;

  @Spec CommandSpec spec;

  @Mixin AuditRequest audit;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "What standard output gets: text (default), json, sarif (SARIF 2.1.0 for code scanning), junit (JUnit XML) "
          + "or html (one self-contained page)")
  Format format;

  @Mixin ReportFiles files;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the text report: auto (default: on a terminal, unless NO_COLOR is set), always or never")
  ColorMode color;

  public CheckCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    Optional<HostState> host = audit.host();
    if (audit.rules.none() && host.isEmpty()) throw Failure.usage("no ruleset given");
    if (host.isEmpty() && FleetFiles.names(audit.rules.files)) {
      return FleetCheck.run(spec.commandLine().getParseResult(), audit.rules.files, io, format == Format.JSON);
    }
    ParseResult given = spec.commandLine().getParseResult();
    Optional<ConfigFile> config = audit.gate.config(audit.rules, io);
    // the config's format is check's own setting; the audit adopts the rest
    if (!given.hasMatchedOption("--format")) config.flatMap(ConfigFile::format).ifPresent(f -> format = f);
    CheckReport report = audit.run(io, host, config, given).report();
    Optional<Path> base = files.sarifBase();
    for (OutputTarget t : files.outputs) t.write(t.format().writer(new OutputStyle(false, base, false)).write(report));
    boolean colored = format == Format.TEXT && color.colors(io.console());
    (colored ? io.styled() : io.out()).print(format.writer(new OutputStyle(colored, base, audit.gate.listIgnored)).write(report));
    if (report.refused()) return ExitCodes.INPUT;
    audit.gate.writeBaseline(Format.JSON.writer(OutputStyle.plain()).write(report), report.findings(), io);
    return report.findings().stream().anyMatch(report::fails) ? ExitCodes.FINDINGS : ExitCodes.CLEAN;
  }
}
