package org.ksaudit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.AuditResult;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Finding;
import org.ksaudit.check.RulesOrigin;
import org.ksaudit.check.Sysctl;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.live.HostChecks;
import org.ksaudit.live.HostReadException;
import org.ksaudit.live.HostSource;
import org.ksaudit.live.HostState;
import org.ksaudit.live.HostStateReader;
import org.ksaudit.live.LiveRules;
import org.ksaudit.live.LiveSource;
import org.ksaudit.live.SavedSource;
import org.ksaudit.model.Family;
import org.ksaudit.report.Baseline;
import org.ksaudit.report.CheckReport;
import org.ksaudit.report.Format;
import org.ksaudit.report.OutputStyle;
import org.ksaudit.report.Sources;
import picocli.CommandLine.ArgGroup;
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

  @Mixin RulesetFiles rules;

  @Mixin GateOptions gate;

  @Mixin VpnSetupOptions vpn;

  /** At most one family may be declared absent: without both there is nothing to audit. */
  @ArgGroup(exclusive = true)
  AbsentFamily absentFamily = new AbsentFamily();

  static final class AbsentFamily {
    @Option(names = "--no-ipv4", description = "The host has no IPv4: a missing IPv4 ruleset is no leak")
    boolean noIpv4;

    @Option(names = "--no-ipv6", description = "The host has no IPv6 (as disable_ipv6 in --sysctl): a missing IPv6 ruleset is no leak")
    boolean noIpv6;
  }

  @Option(names = "--fail-on", paramLabel = "SEVERITY", defaultValue = "error", converter = Converters.Threshold.class,
      description = "Exit 1 when a reported finding has this severity or worse: error, warning or info (default: error); "
          + "never: exit 0 whatever is found")
  FailOn failOn;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "What standard output gets: text (default), json, sarif (SARIF 2.1.0 for code scanning) or junit (JUnit XML)")
  Format format;

  @Option(names = "--output", paramLabel = "FORMAT=FILE", converter = Converters.Output.class,
      description = "Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=ksaudit.sarif --output junit=report.xml")
  List<OutputTarget> outputs = new ArrayList<>();

  @Option(names = "--sarif-base", paramLabel = "DIR",
      description = "SARIF file locations are relative to DIR (the repository root; default: as the files are named)")
  Path sarifBase;

  @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
      description = "Colour the text report: auto (default: on a terminal, unless NO_COLOR is set), always or never")
  ColorMode color;

  @Option(names = "--live", description = "Audit the running host, read-only: its rules (both backends), native nftables "
      + "tables, sysctls, addresses, routes, resolvers and saved rules (needs root)")
  boolean live;

  @Option(names = "--root", paramLabel = "DIR", description = "With --live: read the host's files (resolv.conf, saved rules, "
      + "units) under DIR, e.g. a mounted image (default: /)")
  Path root;

  @Option(names = "--from", paramLabel = "DIR", description = "Audit a host's state saved by scripts/collect-host-state into DIR")
  Path from;

  public CheckCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    Optional<HostState> host = host();
    if (rules.none() && host.isEmpty()) throw Failure.usage("no ruleset given");
    if (host.isEmpty() && FleetFiles.names(rules.files)) {
      return FleetCheck.run(spec.commandLine().getParseResult(), rules.files, io, format == Format.JSON);
    }
    Optional<ConfigFile> config = gate.config(rules, io);
    config.ifPresent(this::adopt);
    Optional<Baseline> baseline = gate.baseline(io);
    AuditOptions options = options(host);
    Optional<LiveRules.Chosen> chosen = host.map(h -> LiveRules.choose(h, options));
    List<RulesetLoader.Loaded> loaded = chosen.isPresent() ? chosen.get().loaded() : rules.load(io.in());
    for (String note : host.map(HostState::notes).orElse(List.of())) io.err().println("note: " + note);
    for (RulesetLoader.Loaded l : loaded) {
      if (options.absent(l.family())) {
        String fam = l.family() == Family.IPV4 ? "IPv4" : "IPv6";
        throw Failure.usage("--no-" + l.family().label() + " says the host has no " + fam + ", but " + l.input().name()
            + " is an " + fam + " ruleset");
      }
    }
    List<Diagnostic> diagnostics = new ArrayList<>();
    List<CheckReport.Input> inputs = new ArrayList<>();
    Sources sources = new Sources();
    for (RulesetLoader.Loaded l : loaded) {
      diagnostics.addAll(l.result().diagnostics());
      inputs.add(new CheckReport.Input(l.input().name(), l.family()));
      sources.add(l.input().name(), l.input().text());
    }
    List<CheckInfo> checks = CheckInfos.all();
    CheckReport report;
    if (diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
      report = new CheckReport(Version.get(), inputs, diagnostics, List.of(), List.of(), Optional.empty(), sources, checks,
          failOn.least());
    } else {
      AuditResult audit = BackendAudit.audit(loaded, options);
      List<Finding> found = chosen.isPresent() ? HostChecks.run(host.get(), chosen.get(), audit, options) : audit.findings();
      List<Finding> findings = gate.apply(found, BackendAudit.rulesets(loaded), config, baseline, sources);
      List<Diagnostic> notes = audit.notes().stream().map(n -> withSourceLine(n, sources)).toList();
      report = new CheckReport(Version.get(), inputs, diagnostics, notes, findings, Optional.of(audit.tunnels()), sources,
          checks, failOn.least());
    }
    Optional<Path> base = Optional.ofNullable(sarifBase);
    for (OutputTarget t : outputs) {
      String text = t.format().writer(new OutputStyle(false, base, false)).write(report);
      try {
        Files.writeString(t.file(), text, StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw Failure.output("cannot write the " + t.format().label() + " report to " + t.file() + ": " + e.getMessage());
      }
    }
    boolean colored = format == Format.TEXT && color.colors(io.console());
    (colored ? io.styled() : io.out()).print(format.writer(new OutputStyle(colored, base, gate.listIgnored)).write(report));
    if (report.refused()) return ExitCodes.INPUT;
    gate.writeBaseline(Format.JSON.writer(OutputStyle.plain()).write(report), report.findings(), io);
    return report.findings().stream().anyMatch(report::fails) ? ExitCodes.FINDINGS : ExitCodes.CLEAN;
  }

  /** The config's settings for every option the command line does not give. */
  private void adopt(ConfigFile c) {
    ParseResult given = spec.commandLine().getParseResult();
    if (!given.hasMatchedOption("--tunnel") && !c.tunnels().isEmpty()) vpn.tunnels = new ArrayList<>(c.tunnels());
    if (!given.hasMatchedOption("--endpoint") && !c.endpoints().isEmpty()) vpn.endpoints = new ArrayList<>(c.endpoints());
    if (!given.hasMatchedOption("--allow-lan") && !c.allowLan().isEmpty()) vpn.allowLan = new ArrayList<>(c.allowLan());
    if (!given.hasMatchedOption("--sysctl") && !c.sysctl().isEmpty()) vpn.sysctlFiles = new ArrayList<>(c.sysctl());
    if (!given.hasMatchedOption("--fail-on")) c.failOn().ifPresent(f -> failOn = f);
    if (!given.hasMatchedOption("--format")) c.format().ifPresent(f -> format = f);
  }

  /** A note of the audit, which knows positions only, with the line it points at. */
  private static Diagnostic withSourceLine(Diagnostic d, Sources sources) {
    return new Diagnostic(d.severity(), d.pos(), d.length(), d.message(), d.hint(), sources.line(d.pos().file(), d.pos().line()));
  }

  /** The host's state with --live or --from, read before anything else so a read failure is the only message. */
  private Optional<HostState> host() throws Failure {
    if (!live && from == null) {
      if (root != null) throw Failure.usage("--root is for --live");
      return Optional.empty();
    }
    if (live && from != null) throw Failure.usage("--live and --from exclude each other: audit this host or a saved state");
    if (root != null && !live) throw Failure.usage("--root is for --live (a saved state keeps the host's files under root/)");
    if (!rules.none()) throw Failure.usage((live ? "--live" : "--from") + " reads the rules from the host: give no ruleset files");
    try {
      HostSource src = live ? new LiveSource(root == null ? Path.of("/") : root) : new SavedSource(from);
      return Optional.of(HostStateReader.read(src));
    } catch (HostReadException e) {
      throw Failure.input(e.getMessage());
    }
  }

  private AuditOptions options(Optional<HostState> host) throws Failure, InputFile.InputException {
    Set<Family> absent = EnumSet.noneOf(Family.class);
    if (absentFamily.noIpv4) absent.add(Family.IPV4);
    if (absentFamily.noIpv6) absent.add(Family.IPV6);
    // the host's own settings first: a --sysctl file given as well overrides them
    return vpn.auditOptions(host.map(HostState::sysctl).orElse(Sysctl.empty()), io).withAbsentFamilies(absent)
        .withOrigin(host.isPresent() ? RulesOrigin.HOST : RulesOrigin.FILES);
  }
}
