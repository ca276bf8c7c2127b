package org.ksaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.AuditResult;
import org.ksaudit.check.RulesOrigin;
import org.ksaudit.check.Finding;
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
import org.ksaudit.report.Sources;
import org.ksaudit.setup.VpnConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * What the killswitch audit of one host is asked: which rules (files, the running host, a saved
 * state), how the tunnel and the VPN are told, and what the gate suppresses. {@code check} and
 * {@code report} share it, so a report audits exactly as {@code check} does.
 */
final class AuditRequest {
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

  @Option(names = "--live", description = "Audit the running host, read-only: its rules (both backends), native nftables "
      + "tables, sysctls, addresses, routes, resolvers and saved rules (needs root)")
  boolean live;

  @Option(names = "--root", paramLabel = "DIR", description = "With --live: read the host's files (resolv.conf, saved rules, "
      + "units) under DIR, e.g. a mounted image (default: /)")
  Path root;

  @Option(names = "--from", paramLabel = "DIR", description = "Audit a host's state saved by scripts/collect-host-state into DIR")
  Path from;

  /**
   * One audit: the report as {@code check} writes it, and what a report's lab needs besides: the
   * rules as loaded, the options of the audit, its findings before any suppression (a suppressed
   * leak still leaks in the lab), the settings of the {@code --sysctl} files alone (a host's own
   * name its interfaces, which a lab does not have) and the VPN's config.
   */
  record Audited(CheckReport report, List<RulesetLoader.Loaded> loaded, AuditOptions options, List<Finding> unsuppressed,
      Sysctl givenSysctl, Optional<VpnConfig> vpnConfig) {
    Audited {
      loaded = List.copyOf(loaded);
      unsuppressed = List.copyOf(unsuppressed);
    }
  }

  /** The host's state with --live or --from, read before anything else so a read failure is the only message. */
  Optional<HostState> host() throws Failure {
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

  /**
   * The audit of the rules (or of the host's, when {@code host} holds its state), with the config's
   * settings for every option {@code given} does not set; {@code config} is that config, already read.
   */
  Audited run(Streams io, Optional<HostState> host, Optional<ConfigFile> config, ParseResult given)
      throws Failure, InputFile.InputException {
    config.ifPresent(c -> adopt(c, given));
    Optional<Baseline> baseline = gate.baseline(io);
    Sysctl fromFiles = vpn.sysctl(Sysctl.empty(), io);
    Optional<VpnConfig> vpnConfig = vpn.config(io);
    AuditOptions options = options(host, fromFiles, vpnConfig, io);
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
    if (diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR)) {
      return new Audited(new CheckReport(Version.get(), inputs, diagnostics, List.of(), List.of(), Optional.empty(), sources,
          CheckInfos.all(), failOn.least()), loaded, options, List.of(), fromFiles, vpnConfig);
    }
    AuditResult audit = BackendAudit.audit(loaded, options);
    List<Finding> found = chosen.isPresent() ? HostChecks.run(host.get(), chosen.get(), audit, options) : audit.findings();
    List<Finding> findings = gate.apply(found, BackendAudit.rulesets(loaded), config, baseline, sources);
    List<Diagnostic> notes = audit.notes().stream().map(n -> withSourceLine(n, sources)).toList();
    CheckReport report = new CheckReport(Version.get(), inputs, diagnostics, notes, findings, Optional.of(audit.tunnels()), sources,
        CheckInfos.all(), failOn.least());
    return new Audited(report, loaded, options, found, fromFiles, vpnConfig);
  }

  /** The config's settings for every option the command line does not give. */
  private void adopt(ConfigFile c, ParseResult given) {
    if (!given.hasMatchedOption("--tunnel") && !c.tunnels().isEmpty()) vpn.tunnels = new ArrayList<>(c.tunnels());
    if (!given.hasMatchedOption("--endpoint") && !c.endpoints().isEmpty()) vpn.endpoints = new ArrayList<>(c.endpoints());
    if (!given.hasMatchedOption("--allow-lan") && !c.allowLan().isEmpty()) vpn.allowLan = new ArrayList<>(c.allowLan());
    if (!given.hasMatchedOption("--sysctl") && !c.sysctl().isEmpty()) vpn.sysctlFiles = new ArrayList<>(c.sysctl());
    if (!given.hasMatchedOption("--fail-on")) c.failOn().ifPresent(f -> failOn = f);
  }

  /** A note of the audit, which knows positions only, with the line it points at. */
  private static Diagnostic withSourceLine(Diagnostic d, Sources sources) {
    return new Diagnostic(d.severity(), d.pos(), d.length(), d.message(), d.hint(), sources.line(d.pos().file(), d.pos().line()));
  }

  private AuditOptions options(Optional<HostState> host, Sysctl given, Optional<VpnConfig> config, Streams io) {
    // the host's own settings first: a --sysctl file given as well overrides them
    Sysctl sysctl = host.map(HostState::sysctl).orElse(Sysctl.empty()).merge(given);
    Set<Family> absent = EnumSet.noneOf(Family.class);
    if (absentFamily.noIpv4) absent.add(Family.IPV4);
    if (absentFamily.noIpv6) absent.add(Family.IPV6);
    return vpn.auditOptions(sysctl, config, io).withAbsentFamilies(absent)
        .withOrigin(host.isPresent() ? RulesOrigin.HOST : RulesOrigin.FILES);
  }
}
