package org.ksaudit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.Endpoint;
import org.ksaudit.check.Finding;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.check.Sysctl;
import org.ksaudit.check.Witness;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.lab.ForwardingPlan;
import org.ksaudit.lab.ForwardingPlanner;
import org.ksaudit.lab.Lab;
import org.ksaudit.lab.LabAddress;
import org.ksaudit.lab.LabCleanup;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.LabPlan;
import org.ksaudit.lab.LabPlanner;
import org.ksaudit.lab.LabTools;
import org.ksaudit.lab.LeakProber;
import org.ksaudit.lab.Predictor;
import org.ksaudit.lab.Probe;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ProbeJunitReport;
import org.ksaudit.lab.ProbeReportPrinter;
import org.ksaudit.report.Format;
import org.ksaudit.lab.RulesRefusedException;
import org.ksaudit.lab.Scenario;
import org.ksaudit.lab.ScratchDir;
import org.ksaudit.lab.TunnelKind;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.setup.SetupInference;
import org.ksaudit.setup.VpnConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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
      "crash-persistent-tun, reconnect, localnet, tunnelvision, server-unreachable and ipv6-ra. Needs",
      "root. Nothing outside",
      "its own namespaces is touched."
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

  @Option(names = "--sysctl", paramLabel = "FILE", description = "Apply this sysctl file's network settings in the client (repeatable)")
  List<String> sysctlFiles = new ArrayList<>();

  @Option(names = "--endpoint", paramLabel = "ADDR:PORT/PROTO", converter = Converters.VpnEndpoint.class,
      description = "The VPN server (repeatable; the lab runs the first)")
  List<Endpoint> endpoints = new ArrayList<>();

  @Option(names = "--allow-lan", paramLabel = "CIDR", converter = Converters.LanRange.class,
      description = "A LAN range meant to stay reachable in clear (repeatable)")
  List<Cidr> allowLan = new ArrayList<>();

  @Option(names = "--vpn-dns", paramLabel = "ADDR", converter = Converters.LabDns.class,
      description = "The resolver inside the VPN (default: from the rules)")
  String vpnDns;

  @Option(names = "--tunnel", paramLabel = "IFACE", converter = Converters.Interface.class,
      description = "The tunnel interface's name (default: from the rules)")
  String tunnel;

  @Option(names = "--tunnel-kind", paramLabel = "KIND",
      description = "openvpn or wireguard (default: from --vpn-config or the rules, else openvpn)")
  TunnelKind kind;

  @Option(names = "--vpn-config", paramLabel = "FILE",
      description = "The VPN client's config (OpenVPN .ovpn/.conf or wg-quick .conf): kind, server, tunnel name, DNS")
  String vpnConfig;

  @Option(names = "--format", paramLabel = "FMT", defaultValue = "text",
      description = "text (default), json, or junit (one test case per scenario and probe)")
  Format format;

  @Option(names = "--output", paramLabel = "FORMAT=FILE", converter = Converters.Output.class,
      description = "Also write the report in FORMAT (text, json or junit) to FILE (repeatable)")
  List<OutputTarget> outputs = new ArrayList<>();

  @Option(names = "--scenario", paramLabel = "NAME",
      description = "Run only this scenario (repeatable): baseline, tunnel-down, crash, crash-persistent-tun, reconnect,"
          + " localnet, tunnelvision, server-unreachable, ipv6-ra")
  List<Scenario> scenarios = new ArrayList<>();

  public ProbeCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    if (mode.cleanup) return cleanup();
    if (files.isEmpty()) throw Failure.usage("give --lab one or two ruleset files");
    for (Format f : formats()) if (f == Format.SARIF) throw Failure.usage("probe writes text, json or junit, not sarif");
    Set<Scenario> selected = scenarios.isEmpty() ? EnumSet.allOf(Scenario.class) : EnumSet.copyOf(scenarios);
    List<RulesetLoader.Loaded> loaded = RulesetLoader.load(files, List.of(), List.of(), io.in());
    Sysctl sysctl = Sysctl.empty();
    for (String f : sysctlFiles) sysctl = sysctl.merge(Sysctl.parse(InputFile.read(f, io.in()).text()));
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
    Optional<VpnConfig> config = vpnConfig == null ? Optional.empty() : Optional.of(VpnConfigFile.read(vpnConfig, io.in()));
    List<Ruleset> rulesets = loaded.stream().map(l -> l.result().ruleset()).toList();
    LabPlanner.Declared declared = new LabPlanner.Declared(Optional.ofNullable(kind), endpoints.stream().findFirst(), allowLan,
        Optional.ofNullable(vpnDns), Optional.ofNullable(tunnel), config);
    try {
      // before the static audit, which takes seconds: a host without the lab's programs is told at once
      LabTools.require(Lab.requiredTools(LabPlanner.kind(SetupInference.infer(rulesets), declared).value(), selected));
    } catch (LabException e) {
      throw Failure.lab(e.getMessage());
    }
    Optional<RulesetLoader.Loaded> v4 = loaded.stream().filter(l -> l.family() == Family.IPV4).findFirst();
    Optional<RulesetLoader.Loaded> v6 = loaded.stream().filter(l -> l.family() == Family.IPV6).findFirst();

    AuditOptions options = new AuditOptions(tunnel == null ? List.of() : List.of(tunnel), endpoints, allowLan, sysctl);
    List<LeakProber.WitnessRef> witnesses = new ArrayList<>();
    List<LeakProber.WitnessRef> forwardWitnesses = new ArrayList<>();
    for (Finding f : KillswitchAudit.audit(rulesets, options)) {
      // the lab sends new connections without a mark; an open connection's or a marked packet's witness is not a probe
      f.witness().filter(Witness::replayable)
          .ifPresent(w -> witnesses.add(new LeakProber.WitnessRef(f.id(), f.category().jsonName(), w)));
      // a forwarded packet's witness is the LAN host's to send
      f.witness().filter(w -> !w.iif().isEmpty())
          .ifPresent(w -> forwardWitnesses.add(new LeakProber.WitnessRef(f.id(), f.category().jsonName(), w)));
    }
    try {
      // the interfaces forwarded packets leave through are the client's too; the LAN's are those they only come in on
      // (or leave back through, as a bridge does)
      Set<String> lanSides = new java.util.HashSet<>();
      forwardWitnesses.forEach(w -> lanSides.add(w.witness().iif()));
      forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).filter(w -> !w.oif().equals(w.iif())).forEach(w -> lanSides.remove(w.oif()));
      List<Witness> interfaces = new ArrayList<>(witnesses.stream().map(LeakProber.WitnessRef::witness).toList());
      forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).forEach(interfaces::add);
      interfaces.removeIf(w -> lanSides.contains(w.oif()));
      LabPlan plan = LabPlanner.plan(rulesets, declared, interfaces);
      Optional<ForwardingPlan> forwarding = ForwardingPlanner.plan(rulesets,
          forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).toList(), plan);
      ProbeReport report = LeakProber.run(plan, forwarding, v4.map(l -> l.input().text()), v6.map(l -> l.input().text()), sysctl, witnesses,
          forwardWitnesses, selected, new EnginePredictor(v4.map(l -> l.input()), v6.map(l -> l.input())), line -> io.err().println(line));
      for (OutputTarget t : outputs) {
        try {
          Files.writeString(t.file(), render(t.format(), report), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
          throw Failure.output("cannot write the " + t.format().label() + " report to " + t.file() + ": " + e.getMessage());
        }
      }
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
      // SARIF is refused before the lab is built
      case TEXT, SARIF -> ProbeReportPrinter.text(report);
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

  /** A trace line's packet (PROTO DST DPORT OIF [IIF]) with its address in canonical form, as the lab writes addresses. */
  private static String key(List<String> fields) {
    List<String> k = new ArrayList<>(fields);
    k.set(1, LabAddress.canonical(k.get(1)));
    return String.join(" ", k);
  }

  /** The engine's verdicts and traces for the lab's packets. */
  private record EnginePredictor(Optional<InputFile> v4, Optional<InputFile> v6) implements Predictor {
    @Override
    public Map<Probe, String> verdicts(List<Probe> packets) throws LabException {
      Map<Probe, String> out = new HashMap<>();
      predict(v4, v6, packets).forEach((p, line) -> out.put(p, line.split("\\s+", 2)[0]));
      return out;
    }

    @Override
    public Map<Probe, String> traces(List<Probe> packets) throws LabException {
      return predict(v4, v6, packets);
    }
  }

  /**
   * The engine's verdicts, each with its trace ({@code VERDICT # FILE:LINE ...}), through the
   * batch trace contract ({@code ksaudit trace RULES --probes FILE}), run in-process, once per
   * source address (forwarded packets from a LAN host carry theirs as {@code --src}). A family
   * without a ruleset has no rules in the lab either: the
   * kernel accepts everything, and so does the prediction.
   */
  static Map<Probe, String> predict(Optional<InputFile> v4, Optional<InputFile> v6, List<Probe> packets) throws LabException {
    Map<Probe, String> out = new HashMap<>();
    Map<Optional<String>, List<Probe>> bySource = new java.util.LinkedHashMap<>();
    for (Probe p : packets) {
      boolean has = p.family() == Family.IPV4 ? v4.isPresent() : v6.isPresent();
      if (has) bySource.computeIfAbsent(p.src(), s -> new ArrayList<>()).add(p);
      else out.put(p, "ACCEPT # no ruleset of this family: the kernel's empty tables accept it");
    }
    for (Map.Entry<Optional<String>, List<Probe>> e : bySource.entrySet()) out.putAll(trace(v4, v6, e.getValue(), e.getKey()));
    return out;
  }

  private static Map<Probe, String> trace(Optional<InputFile> v4, Optional<InputFile> v6, List<Probe> asked, Optional<String> src)
      throws LabException {
    // a scratch directory of the lab's kind: removed on every exit, and by probe --cleanup after a SIGKILL
    try (ScratchDir scratch = ScratchDir.create()) {
      Path dir = scratch.path();
      List<String> args = new ArrayList<>(List.of("trace"));
      if (v4.isPresent()) args.add(Files.writeString(dir.resolve("rules.v4"), v4.get().text()).toString());
      if (v6.isPresent()) args.add(Files.writeString(dir.resolve("rules.v6"), v6.get().text()).toString());
      StringBuilder lines = new StringBuilder();
      for (Probe p : asked) lines.append(p.traceLine()).append('\n');
      args.addAll(List.of("--probes", Files.writeString(dir.resolve("probes"), lines).toString()));
      src.ifPresent(a -> args.addAll(List.of("--src", a)));
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
          new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
      Map<String, String> byLine = new HashMap<>();
      String traced = o.toString(StandardCharsets.UTF_8);
      // the trace names the scratch copies; the report names the user's files
      if (v4.isPresent()) traced = traced.replace(dir.resolve("rules.v4").toString(), v4.get().name());
      if (v6.isPresent()) traced = traced.replace(dir.resolve("rules.v6").toString(), v6.get().name());
      for (String line : traced.split("\n")) {
        int hash = line.indexOf('#');
        String comment = hash >= 0 ? " " + line.substring(hash).strip() : "";
        List<String> f = List.of((hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+"));
        // the verdict follows the packet: after OIF, or after IIF for a forwarded packet
        for (int at = 4; at <= 5 && at < f.size(); at++) {
          if (!f.get(at).matches("ACCEPT|DROP|REJECT")) continue;
          try {
            byLine.put(key(f.subList(0, at)), f.get(at) + comment);
          } catch (IllegalArgumentException ex) {
            // not a verdict line of ours (a header or a comment): nothing to read
          }
          break;
        }
      }
      if (byLine.isEmpty()) {
        String why = e.toString(StandardCharsets.UTF_8).strip();
        throw new LabException("the engine's trace gave no verdicts (exit " + code + ")" + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
      }
      Map<Probe, String> out = new HashMap<>();
      for (Probe p : asked) {
        String v = byLine.get(key(List.of(p.traceLine().split(" "))));
        if (v != null) out.put(p, v);
      }
      return out;
    } catch (IOException ex) {
      throw new LabException("cannot write the trace input: " + ex.getMessage());
    }
  }
}
