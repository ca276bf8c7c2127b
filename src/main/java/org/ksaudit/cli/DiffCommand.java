package org.ksaudit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.concurrent.Callable;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.check.Sysctl;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.GitRevisionFile;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.model.Family;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.report.DiffJunitReport;
import org.ksaudit.report.DiffReport;
import org.ksaudit.report.DiffSarifReport;
import org.ksaudit.report.Format;
import org.ksaudit.report.JsonReport;
import org.ksaudit.report.Sources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ksaudit diff OLD NEW}: what a change of a killswitch newly lets out, and what it newly stops. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    customSynopsis = {"ksaudit diff [OPTIONS] OLD NEW", "ksaudit diff [OPTIONS] OLD.v4 OLD.v6 -- NEW.v4 NEW.v6"},
    description = {
      "Compares two versions of a killswitch by what they do, not by their text: per family and",
      "scenario (tunnel gone, open connections, marked packets, TEE copies, forwarded), the packets",
      "NEW lets out that OLD stopped and the reverse, each with a witness and the rules responsible",
      "in each version. A ruleset is a file, '-' for standard input, or git:REV:PATH (read with",
      "git show REV:PATH). Exit 1 when NEW lets out anything OLD stopped, 0 when it only blocks more",
      "or changes nothing."
    },
    footer = ExitCodes.HELP)
public final class DiffCommand implements Callable<Integer> {
  private final Streams io;

  @Spec CommandSpec spec;

  @Parameters(arity = "2..4", paramLabel = "RULES", description = "OLD then NEW: files, '-' or git:REV:PATH")
  List<String> files = new ArrayList<>();

  @Mixin VpnSetupOptions vpn;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (default), json, sarif (results at NEW's lines) or junit (a test case per family and scenario)")
  Format format;

  @Mixin ReportFiles reportFiles;

  public DiffCommand(Streams io) {
    this.io = io;
  }

  @Override
  public Integer call() throws Failure, InputFile.InputException {
    if (format == Format.HTML || reportFiles.outputs.stream().anyMatch(t -> t.format() == Format.HTML)) {
      throw Failure.usage("diff writes text, json, sarif or junit, not html");
    }
    List<List<String>> sides = sides();
    List<String> oldNames = sides.get(0);
    List<String> newNames = sides.get(1);
    if (oldNames.stream().filter("-"::equals).count() + newNames.stream().filter("-"::equals).count() > 1)
      throw Failure.usage("standard input ('-') can be read only once");
    List<RulesetLoader.Loaded> before = RulesetLoader.load(inputs(oldNames));
    List<RulesetLoader.Loaded> after = RulesetLoader.load(inputs(newNames));
    List<Diagnostic> diagnostics = new ArrayList<>();
    Sources sources = new Sources();
    List<String> names = new ArrayList<>();
    for (RulesetLoader.Loaded l : concat(before, after)) {
      diagnostics.addAll(l.result().diagnostics());
      sources.add(l.input().name(), l.input().text());
      names.add(l.input().name());
    }
    boolean json = format == Format.JSON;
    // SARIF and JUnit documents stay parseable: what the loader says goes to standard error
    PrintWriter said = format == Format.TEXT ? io.out() : io.err();
    if (!json) for (Diagnostic d : diagnostics) said.print(DiagnosticPrinter.render(d));
    long errors = diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    if (errors > 0) {
      if (json) io.out().println(JsonReport.render(Version.get(), names, diagnostics, List.of()));
      else said.println(errors + (errors == 1 ? " error" : " errors") + ": iptables-restore would refuse the rules, nothing compared");
      return ExitCodes.INPUT;
    }
    AuditOptions options = vpn.auditOptions(Sysctl.empty(), io);
    RulesetDiff.Result result = RulesetDiff.compareLoaded(results(before), results(after), options);
    List<String> oldShown = before.stream().map(l -> l.input().name()).toList();
    List<String> newShown = after.stream().map(l -> l.input().name()).toList();
    Map<Family, String> newFiles = new TreeMap<>();
    for (RulesetLoader.Loaded l : after) newFiles.put(l.family(), l.input().name());
    RulesetDiff.Result compared = result;
    Function<Format, String> render = f -> switch (f) {
      // HTML is refused before anything is read
      case TEXT, HTML -> DiffReport.text(oldShown, newShown, compared, sources);
      case JSON -> DiffReport.json(Version.get(), oldShown, newShown, compared) + "\n";
      case SARIF -> new DiffSarifReport(reportFiles.sarifBase()).write(Version.get(), newFiles, compared, sources);
      case JUNIT -> DiffJunitReport.write(newFiles.keySet(), compared, sources);
    };
    for (OutputTarget t : reportFiles.outputs) t.write(render.apply(t.format()));
    io.out().print(render.apply(format));
    return result.letsOutMore() ? ExitCodes.FINDINGS : ExitCodes.CLEAN;
  }

  /**
   * OLD and NEW from the words: two words are one ruleset each; with '--' the words before it
   * are OLD's and those after NEW's. picocli takes '--' away, so where it stood is read from
   * the command line as given.
   */
  private List<List<String>> sides() throws Failure {
    List<String> original = spec.commandLine().getParseResult().originalArgs();
    int dash = original.indexOf("--");
    if (dash < 0) {
      if (files.size() != 2)
        throw Failure.usage("give OLD and NEW, or two pairs with '--' between them: diff OLD.v4 OLD.v6 -- NEW.v4 NEW.v6");
      return List.of(List.of(files.get(0)), List.of(files.get(1)));
    }
    int after = original.size() - dash - 1;
    int before = files.size() - after;
    if (before < 1 || before > 2 || after < 1 || after > 2)
      throw Failure.usage("give one or two rulesets on each side of '--' (OLD before it, NEW after it)");
    return List.of(files.subList(0, before), files.subList(before, files.size()));
  }

  private List<InputFile> inputs(List<String> names) throws InputFile.InputException {
    List<InputFile> out = new ArrayList<>();
    for (String n : names) out.add(GitRevisionFile.names(n) ? GitRevisionFile.read(n) : InputFile.read(n, io.in()));
    return out;
  }

  private static List<ParseResult> results(List<RulesetLoader.Loaded> loaded) {
    return loaded.stream().map(RulesetLoader.Loaded::result).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
