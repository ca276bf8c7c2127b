package org.ksaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.check.Sysctl;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.lab.LabCleanup;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.LabPlanner;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ProbeJunitReport;
import org.ksaudit.lab.ProbeReportPrinter;
import org.ksaudit.report.Format;
import org.ksaudit.lab.RulesRefusedException;
import org.ksaudit.lab.Scenario;
import org.ksaudit.model.Ruleset;
import org.ksaudit.setup.VpnConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ksaudit probe --lab}: loads the rules into a disposable namespace lab with a real
 * VPN, breaks the VPN in several ways and measures what leaks, next to the static engine's
 * prediction for every packet. {@code ksaudit probe --cleanup} removes leftovers of killed runs.
 */
@Command(
    name = "probe",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Measures leaks for real: builds network namespaces (client, LAN router, internet) with a real",
      "VPN, loads the rules into the client, then runs the scenarios baseline, tunnel-down, crash,",
      "crash-persistent-tun, reconnect, localnet, tunnelvision, server-unreachable and ipv6-ra.",
      "Needs root. Nothing outside its own namespaces is touched."
    },
    footer = ExitCodes.HELP)
public final class ProbeCommand implements Callable<Integer> {
  private final Streams io;

  @Parameters(arity = "0..2", paramLabel = "RULES", description = "iptables-save and/or ip6tables-save file")
  List<String> files = new ArrayList<>();

  /** What to do: run the lab, or clean up after killed runs; exactly one. */
  @ArgGroup(exclusive = true, multiplicity = "1")
  Mode mode;

  static final class Mode {
    @Option(names = "--lab", required = true, description = "Run the namespace lab (the only probe mode)")
    boolean lab;

    @Option(names = "--cleanup", required = true, description = "Remove namespaces, processes and files left by killed runs, then exit")
    boolean cleanup;
  }

  @Mixin VpnSetupOptions vpn;

  @Mixin LabOptions labOptions;


  @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
      description = "text (default), json, or junit (one test case per scenario and probe)")
  Format format;

  @Option(names = "--output", paramLabel = "FORMAT=FILE", converter = Converters.Output.class,
      description = "Also write the report in FORMAT (text, json or junit) to FILE (repeatable)")
  List<OutputTarget> outputs = new ArrayList<>();


  public ProbeCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    if (mode.cleanup) return cleanup();
    if (files.isEmpty()) throw Failure.usage("give --lab one or two ruleset files");
    for (Format f : formats()) {
      if (f == Format.SARIF || f == Format.HTML) throw Failure.usage("probe writes text, json or junit, not " + f.label());
    }
    Set<Scenario> selected = labOptions.selected();
    List<RulesetLoader.Loaded> loaded = RulesetLoader.load(files, List.of(), List.of(), io.in());
    Sysctl sysctl = vpn.sysctl(Sysctl.empty(), io);
    Optional<String> tunnel = vpn.labTunnel();
    int errors = 0;
    for (RulesetLoader.Loaded l : loaded) {
      for (Diagnostic d : l.result().diagnostics()) {
        if (d.severity() == org.ksaudit.diagnostic.Severity.ERROR) {
          // on standard output as check and trace print them, unless that is reserved for a JSON document
          (format == Format.TEXT ? io.out() : io.err()).print(DiagnosticPrinter.render(d));
          errors++;
        }
      }
    }
    if (errors > 0) throw Failure.input("the rules have errors; iptables-restore would refuse them");
    Optional<VpnConfig> config = vpn.config(io);
    List<Ruleset> rulesets = loaded.stream().map(l -> l.result().ruleset()).toList();
    LabPlanner.Declared declared = new LabPlanner.Declared(Optional.ofNullable(labOptions.kind), vpn.endpoints.stream().findFirst(),
        vpn.allowLan, Optional.ofNullable(labOptions.vpnDns), tunnel, config);
    LabProbe.requireTools(rulesets, declared, selected);
    AuditOptions options = new AuditOptions(tunnel.stream().toList(), vpn.endpoints, vpn.allowLan, sysctl);
    try {
      ProbeReport report = LabProbe.run(loaded, KillswitchAudit.audit(rulesets, options), sysctl, declared, selected,
          line -> io.err().println(line));
      for (OutputTarget t : outputs) t.write(render(t.format(), report));
      io.out().print(render(format, report));
      // a disagreement is a bug in ksaudit: it outranks whatever else was measured
      if (report.disagreements() > 0) return ExitCodes.INTERNAL;
      return report.leaks() > 0 || !report.baselineWorks() ? ExitCodes.FINDINGS : ExitCodes.CLEAN;
    } catch (RulesRefusedException e) {
      throw Failure.input(e.getMessage());
    } catch (LabException e) {
      throw Failure.lab(e.getMessage());
    }
  }

  /** Every format the command line asks for: standard output's and the --output files'. */
  private List<Format> formats() {
    List<Format> all = new ArrayList<>(List.of(format));
    outputs.forEach(t -> all.add(t.format()));
    return all;
  }

  private static String render(Format f, ProbeReport report) {
    return switch (f) {
      case JSON -> ProbeReportPrinter.json(report, Version.get());
      case JUNIT -> ProbeJunitReport.write(report);
      // SARIF and HTML are refused before the lab is built
      case TEXT, SARIF, HTML -> ProbeReportPrinter.text(report);
    };
  }

  private int cleanup() throws Failure {
    try {
      LabCleanup.Result r = LabCleanup.run();
      for (String x : r.removed()) io.out().println("removed " + x);
      for (String x : r.stuck()) io.err().println("ksaudit probe: could not remove " + x);
      io.out().println(r.removed().isEmpty() ? "nothing to clean up" : r.removed().size() + " leftovers removed");
      return r.stuck().isEmpty() ? ExitCodes.CLEAN : ExitCodes.LAB;
    } catch (LabException e) {
      throw Failure.lab(e.getMessage());
    }
  }
}
