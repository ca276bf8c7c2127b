package org.ksaudit.cli;

import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.history.ChangeSummary;
import org.ksaudit.history.HistoryException;
import org.ksaudit.history.OnChangeCommand;
import org.ksaudit.history.OutFolder;
import org.ksaudit.history.RecordedRules;
import org.ksaudit.history.RuleChanges;
import org.ksaudit.history.RunComparison;
import org.ksaudit.history.RunDocument;
import org.ksaudit.history.RunFiles;
import org.ksaudit.history.RunFolder;
import org.ksaudit.history.RunName;
import org.ksaudit.history.RunRecord;
import org.ksaudit.history.Verdict;
import org.ksaudit.history.VerdictStatus;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.LabPlanner;
import org.ksaudit.lab.ProbeOutcome;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ProbeReportPrinter;
import org.ksaudit.lab.RulesRefusedException;
import org.ksaudit.lab.Scenario;
import org.ksaudit.lab.ScenarioResult;
import org.ksaudit.live.HostState;
import org.ksaudit.model.Ruleset;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.CheckReport;
import org.ksaudit.report.Format;
import org.ksaudit.report.HtmlReport;
import org.ksaudit.report.OutputStyle;
import org.ksaudit.report.RunChanges;
import org.ksaudit.report.RunSummary;
import org.ksaudit.report.SarifReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code ksaudit report}: the audit of {@code check} (and with {@code --lab} the lab of
 * {@code probe}) written as one run of a history: a folder per run with report.json, report.html
 * and the SARIF, {@code latest} pointing at the newest, the oldest pruned, and what changed
 * since the previous run first. Exit 1 when something got worse.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    customSynopsis = {"ksaudit report --out DIR [RULES... | --live | --from DIR] [--lab] [OPTIONS]",
        "ksaudit report --print-systemd --out DIR [RULES... | --live | --from DIR] [--lab] [OPTIONS]"},
    description = {
      "Audits the rules as check does (and with --lab measures them in the lab as probe --lab does;",
      "with --live the host's rules are captured and loaded into the lab, never changed on the host),",
      "then writes DIR/<UTC time>/ with report.json, report.html and report.sarif, points DIR/latest",
      "at it, keeps the newest --keep runs and prints what changed since the previous run. Exit 1",
      "when something got worse: a new finding at or above --fail-on, a new measured leak, a VPN the",
      "rules newly break in the lab; 0 when nothing did."
    },
    footer = ExitCodes.HELP)
public final class ReportCommand implements Callable<Integer> {
  private final Streams io;

  @Spec CommandSpec spec;

  @Mixin AuditRequest audit;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "The history folder: one folder per run in it")
  Path out;

  @Option(names = "--keep", paramLabel = "N", defaultValue = "90", converter = Converters.Keep.class,
      description = "Keep the newest N runs (default: 90); older run folders are deleted")
  int keep;

  @Option(names = "--lab", description = "Also measure the rules in the namespace lab, as probe --lab does (needs root)")
  boolean lab;

  @Mixin LabOptions labOptions;

  @Option(names = "--on-change", paramLabel = "CMD",
      description = "Run CMD with sh -c when the verdict changed (and on the first run), the summary on its standard input")
  String onChange;

  @Option(names = "--print-systemd", description = "Print a hardened service and timer that run this report daily, then exit")
  boolean printSystemd;

  public ReportCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    ParseResult given = spec.commandLine().getParseResult();
    if (!lab) for (String o : LabOptions.NAMES)
      if (given.hasMatchedOption(o)) throw Failure.usage(o + " is for --lab");
    if (printSystemd) return printSystemd(given);
    Optional<HostState> host = audit.host();
    if (audit.rules.none() && host.isEmpty()) throw Failure.usage("no ruleset given: name the rules, or --live, or --from DIR");
    if (host.isEmpty() && FleetFiles.names(audit.rules.files))
      throw Failure.usage("report audits one host: give one IPv4 and one IPv6 ruleset at most");
    Consumer<String> progress = io.console().errTerminal() ? line -> io.err().println(line) : line -> {};
    try (OutFolder folder = OutFolder.open(out)) {
      Optional<ConfigFile> config = audit.gate.config(audit.rules, io);
      progress.accept("report: auditing the rules");
      AuditRequest.Audited audited = audit.run(io, host, config, given);
      CheckReport check = audited.report();
      Optional<ProbeReport> measured = lab && !check.refused() ? Optional.of(lab(audited, progress)) : Optional.empty();
      return record(folder, audited, measured, progress);
    } catch (HistoryException e) {
      throw Failure.input(e.getMessage());
    }
  }

  /** Writes the run into the history, prints what changed, runs --on-change; returns the exit code. */
  private int record(OutFolder folder, AuditRequest.Audited audited, Optional<ProbeReport> measured, Consumer<String> progress)
      throws HistoryException, Failure {
    CheckReport check = audited.report();
    OutFolder.Listing listing = folder.list();
    for (String s : listing.skipped()) io.err().println("ksaudit report: warning: " + s);
    List<RunRecord> past = new ArrayList<>();
    for (RunFolder f : listing.runs()) {
      try {
        past.add(RunRecord.read(f));
      } catch (HistoryException e) {
        io.err().println("ksaudit report: warning: " + f.path() + " skipped: " + e.getMessage() + "; left alone, not counted for --keep");
      }
    }
    Optional<RunRecord> previous = past.isEmpty() ? Optional.empty() : Optional.of(past.get(past.size() - 1));
    Instant at = folder.next(Instant.now());
    RunFolder run = new RunFolder(folder.path().resolve(RunName.of(at)), at);
    String checkJson = Format.JSON.writer(OutputStyle.plain()).write(check);
    Optional<String> labJson = measured.map(r -> ProbeReportPrinter.json(r, Version.get()));
    Verdict verdict = Verdict.of(check, measured);
    Map<String, String> files = new LinkedHashMap<>();
    List<RecordedRules> rules = new ArrayList<>();
    for (RulesetLoader.Loaded l : audited.loaded()) {
      rules.add(new RecordedRules(l.family(), RunFiles.rules(l.family()), l.input().name()));
      files.put(RunFiles.rules(l.family()), l.input().text());
    }
    RunRecord now = RunRecord.current(run, verdict, checkJson, labJson, rules);
    Optional<RunChanges> changes = Optional.empty();
    // a run whose rules were refused audited nothing: findings and rules are compared with the newest that loaded
    Optional<RunRecord> lastAudited = past.stream().filter(r -> r.verdict().status() != VerdictStatus.REFUSED)
        .reduce((a, b) -> b);
    boolean worse;
    if (previous.isPresent()) {
      progress.accept("report: comparing with the run of " + previous.get().at());
      List<ChangeItem> ruleChanges = List.of();
      if (lastAudited.isPresent()) {
        try {
          ruleChanges = RuleChanges.between(lastAudited.get(), audited.loaded(), audited.options());
        } catch (HistoryException e) {
          io.err().println("ksaudit report: warning: rules not compared with the run of " + lastAudited.get().at() + ": " + e.getMessage());
        }
      }
      RunComparison.Result compared = RunComparison.between(previous.get(), lastAudited, now, ruleChanges, check.failOn());
      changes = Optional.of(compared.changes());
      worse = compared.worse();
    } else {
      worse = RunComparison.firstWorse(now, check.failOn());
    }
    int code = check.refused() ? ExitCodes.INPUT
        // a disagreement is a bug in ksaudit: it outranks whatever else was measured, as for probe
        : measured.map(ProbeReport::disagreements).orElse(0L) > 0 ? ExitCodes.INTERNAL
        : worse ? ExitCodes.FINDINGS : ExitCodes.CLEAN;
    List<RunSummary> history = new ArrayList<>(past.stream().map(RunRecord::summary).toList());
    history.add(now.summary());
    Optional<Verdict> before = previous.map(RunRecord::verdict);
    files.put(RunFiles.JSON, RunDocument.json(new RunDocument.Content(Version.get(), at, previous.map(RunRecord::at), verdict, rules,
        checkJson, labJson, changes, before.map(Verdict::text), now.summary().findings(),
        measured.map(ProbeReport::leaks), worse, code)));
    files.put(RunFiles.HTML, new HtmlReport().page(check, measured, changes, history));
    files.put(RunFiles.SARIF, new SarifReport(Optional.empty()).write(check));
    RunFolder written = folder.publish(at, files);
    folder.pointLatest(written).ifPresent(w -> io.err().println("ksaudit report: warning: " + w));
    List<RunFolder> kept = new ArrayList<>(past.stream().map(RunRecord::folder).toList());
    kept.add(written);
    List<RunFolder> removed = folder.prune(kept, keep);
    Optional<Instant> comparedWith = lastAudited.filter(a -> !a.folder().equals(previous.get().folder())).map(RunRecord::at);
    String summary = ChangeSummary.text(verdict, written, changes, before, comparedWith, check, measured);
    io.out().print(summary);
    // what refuses the rules, as check prints it: the summary only counts it
    for (Diagnostic d : check.diagnostics()) if (d.severity() == Severity.ERROR) io.out().print(DiagnosticPrinter.render(d));
    if (!removed.isEmpty())
      io.out().println("history: " + removed.size() + " oldest " + (removed.size() == 1 ? "run" : "runs") + " removed (--keep " + keep + ")");
    if (!check.refused()) audit.gate.writeBaseline(checkJson.strip(), check.findings(), io);
    boolean verdictChanged = changes.map(RunChanges::verdictChanged).orElse(true);
    if (onChange != null && verdictChanged) notify(summary, written, verdict.status());
    return code;
  }

  private ProbeReport lab(AuditRequest.Audited audited, Consumer<String> progress) throws Failure {
    Set<Scenario> selected = labOptions.selected();
    List<Ruleset> rulesets = audited.loaded().stream().map(l -> l.result().ruleset()).toList();
    // the lab runs one tunnel by its name: a pattern (tun+) leaves the name to the rules
    Optional<String> tunnel = audited.options().tunnels().stream().filter(t -> !t.endsWith("+") && !t.endsWith("*")).findFirst();
    LabPlanner.Declared declared = new LabPlanner.Declared(Optional.ofNullable(labOptions.kind),
        audit.vpn.endpoints.stream().findFirst(), audit.vpn.allowLan, Optional.ofNullable(labOptions.vpnDns), tunnel, audited.vpnConfig());
    LabProbe.requireTools(rulesets, declared, selected);
    try {
      ProbeReport measured = LabProbe.run(audited.loaded(), audited.unsuppressed(), audited.givenSysctl(), declared, selected, progress);
      // the lab's own lines name each scenario as it starts; what each sent is known once it has run
      List<ScenarioResult> ran = measured.scenarios();
      for (int i = 0; i < ran.size(); i++) {
        ScenarioResult r = ran.get(i);
        long sent = r.outcomes().stream().filter(ProbeOutcome::sent).count();
        progress.accept("report: lab [" + (i + 1) + "/" + ran.size() + "] " + r.scenario().label() + ": " + sent + " of "
            + r.outcomes().size() + " probes sent, " + r.leaks() + (r.leaks() == 1 ? " leak" : " leaks"));
      }
      return measured;
    } catch (RulesRefusedException e) {
      throw Failure.input(e.getMessage());
    } catch (LabException e) {
      throw Failure.lab(e.getMessage());
    }
  }

  /** Runs --on-change; its failure is one line on standard error and changes no exit code: the report is written. */
  private void notify(String summary, RunFolder run, VerdictStatus status) {
    OnChangeCommand.Outcome o = OnChangeCommand.run(onChange, summary, run.path(), status);
    if (!o.output().isEmpty()) io.err().print(o.output().endsWith("\n") ? o.output() : o.output() + "\n");
    if (!o.problem().isEmpty()) io.err().println("ksaudit report: --on-change " + TerminalText.line(onChange) + ": " + o.problem());
    else if (o.status().getAsInt() != 0)
      io.err().println("ksaudit report: --on-change " + TerminalText.line(onChange) + " failed: exit status " + o.status().getAsInt());
  }

  /** The units that run this very command line (picocli keeps it whole, the subcommand's name in it), without --print-systemd, from the current folder. */
  private int printSystemd(ParseResult given) throws Failure {
    List<String> args = new ArrayList<>(given.originalArgs());
    args.removeIf(a -> a.equals("--print-systemd"));
    for (String a : args)
      if (a.chars().anyMatch(Character::isISOControl)) throw Failure.usage("an argument holds a control character: a unit file cannot hold it");
    List<String> command = new ArrayList<>(launcher());
    command.addAll(args);
    io.out().print(SystemdUnits.text(command, Path.of("").toAbsolutePath(), out));
    return ExitCodes.CLEAN;
  }

  /** This ksaudit as a command: the JVM running it, and its jar (or class path). */
  private static List<String> launcher() {
    String jvm = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path", "");
    if (classPath.endsWith(".jar") && !classPath.contains(File.pathSeparator))
      return List.of(jvm, "-jar", Path.of(classPath).toAbsolutePath().normalize().toString());
    List<String> entries = new ArrayList<>();
    for (String e : classPath.split(File.pathSeparator)) if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().normalize().toString());
    return List.of(jvm, "-cp", String.join(File.pathSeparator, entries), Main.class.getName());
  }
}
