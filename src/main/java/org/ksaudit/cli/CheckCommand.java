package org.ksaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ksaudit check}: syntax diagnostics, then the killswitch audit. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Reads iptables-save / ip6tables-save dumps, reports every syntax or load error with its",
      "position, then audits the rules as a VPN killswitch.",
      "Use '-' to read standard input: iptables-save | ksaudit check -"
    },
    footer = ExitCodes.HELP)
public final class CheckCommand implements Callable<Integer> {
  private final Streams io;

  @Parameters(arity = "0..2", paramLabel = "RULES", description = "iptables-save and/or ip6tables-save file ('-' for stdin)")
  List<String> files = new ArrayList<>();

  @Option(names = "--ipv4", paramLabel = "FILE", description = "Read FILE as an IPv4 (iptables) ruleset")
  List<String> ipv4 = new ArrayList<>();

  @Option(names = "--ipv6", paramLabel = "FILE", description = "Read FILE as an IPv6 (ip6tables) ruleset")
  List<String> ipv6 = new ArrayList<>();

  public CheckCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    if (files.isEmpty() && ipv4.isEmpty() && ipv6.isEmpty()) {
      io.err().println("ksaudit check: no ruleset given");
      io.err().println("Try 'ksaudit check --help' for more information.");
      return ExitCodes.INPUT;
    }
    List<RulesetLoader.Loaded> loaded;
    try {
      loaded = RulesetLoader.load(files, ipv4, ipv6, io.in());
    } catch (InputFile.InputException e) {
      io.err().println("ksaudit: " + e.getMessage());
      return ExitCodes.INPUT;
    }
    int errors = 0;
    int warnings = 0;
    for (RulesetLoader.Loaded l : loaded) {
      for (Diagnostic d : l.result().diagnostics()) {
        io.out().print(DiagnosticPrinter.render(d));
        if (d.severity() == Severity.ERROR) errors++;
        else if (d.severity() == Severity.WARNING) warnings++;
      }
    }
    if (errors > 0) {
      io.out().println(errors + (errors == 1 ? " error" : " errors") + (warnings > 0 ? ", " + warnings + " warnings" : "")
          + ": iptables-restore would refuse " + (loaded.size() == 1 ? "this file" : "these files"));
      return ExitCodes.INPUT;
    }
    return ExitCodes.CLEAN;
  }
}
