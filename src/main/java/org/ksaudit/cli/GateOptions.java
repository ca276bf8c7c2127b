package org.ksaudit.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.check.Finding;
import org.ksaudit.check.InlineSuppressions;
import org.ksaudit.check.Suppression;
import org.ksaudit.check.SuppressionKind;
import org.ksaudit.input.InputFile;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;
import org.ksaudit.report.Baseline;
import org.ksaudit.report.Sources;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What decides which findings a gate reports: {@code ksaudit:ignore} comments on the rules, the
 * {@code .ksauditrc} and its {@code ignore} lines, and a baseline of an earlier run. A finding
 * they cover stays in the JSON report, marked suppressed, and counts for no exit code.
 */
final class GateOptions {
  @Option(names = "--no-inline-ignores",
      description = "Refuse ksaudit:ignore comments in the rules: the findings they name are reported (for CI)")
  boolean noInlineIgnores;

  @Option(names = "--list-ignored", description = "Also list the suppressed findings, each with what suppresses it and why")
  boolean listIgnored;

  @Option(names = "--baseline", paramLabel = "FILE.json",
      description = "Report only the findings absent from this earlier JSON report (matched by ID, rule text and witness class)")
  String baseline;

  @Option(names = "--write-baseline", paramLabel = "FILE.json",
      description = "Write this run's JSON report to FILE.json, to be given to --baseline later")
  String writeBaseline;

  @ArgGroup(exclusive = true)
  ConfigChoice configChoice;

  /** Which config applies: a named file, none, or (neither option) the one found by lookup. */
  static final class ConfigChoice {
    @Option(names = "--config", paramLabel = "FILE", required = true,
        description = "Read this config file instead of looking for .ksauditrc")
    String file;

    @Option(names = "--no-config", required = true, description = "Read no config file")
    boolean none;
  }

  /**
   * The config of this run: {@code --config FILE}, none with {@code --no-config}, else the
   * {@code .ksauditrc} found from the first input file's folder (the working folder for standard input).
   */
  Optional<ConfigFile> config(RulesetFiles rules, Streams io) throws Failure {
    if (configChoice != null && configChoice.none) return Optional.empty();
    if (configChoice != null) return Optional.of(ConfigFile.read(Path.of(configChoice.file), io.in()));
    List<String> inputs = new ArrayList<>(rules.files);
    inputs.addAll(rules.ipv4);
    inputs.addAll(rules.ipv6);
    // without files (--live, --from) the lookup starts in the current folder
    String first = inputs.isEmpty() ? "-" : inputs.get(0);
    Path folder = first.equals("-") ? Path.of("") : Optional.ofNullable(Path.of(first).toAbsolutePath().getParent()).orElse(Path.of("/"));
    Optional<Path> found = ConfigFile.find(folder, io.env());
    return found.isPresent() ? Optional.of(ConfigFile.read(found.get(), io.in())) : Optional.empty();
  }

  Optional<Baseline> baseline(Streams io) throws Failure, InputFile.InputException {
    if (baseline == null) return Optional.empty();
    try {
      return Optional.of(Baseline.parse(baseline, InputFile.read(baseline, io.in()).text()));
    } catch (IllegalArgumentException e) {
      throw Failure.input("--baseline: " + e.getMessage());
    }
  }

  /** The findings with what the rules' comments, the config and the baseline suppress marked, most severe first. */
  List<Finding> apply(List<Finding> findings, List<Ruleset> rulesets, Optional<ConfigFile> config, Optional<Baseline> known,
      Sources sources) {
    List<Finding> out = noInlineIgnores ? findings : InlineSuppressions.apply(findings, rulesets, LocalDate.now(ZoneOffset.UTC), CheckInfos.ids());
    if (config.isPresent()) out = ignored(out, config.get());
    return known.isPresent() ? known.get().apply(out, sources) : out;
  }

  private static List<Finding> ignored(List<Finding> findings, ConfigFile config) {
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      Optional<ConfigFile.Ignore> i = config.ignore().stream().filter(x -> x.id().equals(f.id())).findFirst();
      out.add(i.isPresent() && f.reported()
          ? f.suppressedBy(new Suppression(SuppressionKind.CONFIG, "ignored by " + config.path() + ":" + i.get().line(), Optional.empty(),
              new SourcePos(config.path().toString(), i.get().line(), 1)))
          : f);
    }
    return out;
  }

  /** Writes the run's JSON report as the baseline, when asked to. */
  void writeBaseline(String json, List<Finding> findings, Streams io) throws Failure {
    if (writeBaseline == null) return;
    long known = findings.stream().filter(f -> f.reported() || f.suppressed().get().kind() == SuppressionKind.BASELINE).count();
    try {
      Files.writeString(Path.of(writeBaseline), json + "\n");
    } catch (IOException | RuntimeException e) {
      throw Failure.input("cannot write the baseline " + writeBaseline + ": " + Main.oneLine(e));
    }
    io.err().println("ksaudit: wrote the baseline " + writeBaseline + " (" + known + (known == 1 ? " finding)" : " findings)"));
  }
}
