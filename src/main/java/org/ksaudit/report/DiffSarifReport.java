package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Difference;
import org.ksaudit.check.Location;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.model.Family;
import org.ksaudit.report.SarifReport.AutomationDetails;
import org.ksaudit.report.SarifReport.CodeFlow;
import org.ksaudit.report.SarifReport.Configuration;
import org.ksaudit.report.SarifReport.Driver;
import org.ksaudit.report.SarifReport.Help;
import org.ksaudit.report.SarifReport.Invocation;
import org.ksaudit.report.SarifReport.Log;
import org.ksaudit.report.SarifReport.Message;
import org.ksaudit.report.SarifReport.PhysicalLocation;
import org.ksaudit.report.SarifReport.Region;
import org.ksaudit.report.SarifReport.ReportingDescriptor;
import org.ksaudit.report.SarifReport.Result;
import org.ksaudit.report.SarifReport.RuleProperties;
import org.ksaudit.report.SarifReport.Run;
import org.ksaudit.report.SarifReport.SarifLocation;
import org.ksaudit.report.SarifReport.ThreadFlow;
import org.ksaudit.report.SarifReport.ThreadFlowLocation;

/**
 * {@code ksaudit diff} as SARIF 2.1.0, for a pull request's code scanning: one run per family of
 * NEW, and every result at a line of NEW, so the annotation lands on the change under review. A
 * packet class NEW newly lets out is an error at NEW's rule that lets it out (or at the file's
 * first line when NEW has no such chain and the kernel's default accepts), with OLD's rule that
 * stopped it as a related location; one NEW newly stops is a note at NEW's rule that stops it.
 */
public final class DiffSarifReport {
  static final String LET_OUT = "newly-let-out";
  static final String STOPPED = "newly-stopped";
  private static final String FINGERPRINT = "ksauditDifference/v1";

  private final SarifArtifacts artifacts;

  public DiffSarifReport(Optional<Path> base) {
    this.artifacts = new SarifArtifacts(base);
  }

  /** {@code newFiles}: NEW's file of each family compared. */
  public String write(String version, Map<Family, String> newFiles, RulesetDiff.Result r, Sources sources) {
    List<Run> runs = new ArrayList<>();
    for (Map.Entry<Family, String> e : newFiles.entrySet()) {
      List<Result> results = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (Difference d : r.differences()) if (d.family() == e.getKey()) results.add(result(d, e.getValue(), sources, seen));
      runs.add(new Run(new SarifReport.Tool(new Driver("ksaudit", version, rules())),
          new AutomationDetails("ksaudit/diff/" + e.getKey().label() + "/"), artifacts.originalUriBaseIds(),
          List.of(new Invocation(true, List.of())), "unicodeCodePoints", results));
    }
    return JsonOutput.write(new Log(SarifReport.SCHEMA, "2.1.0", runs)) + "\n";
  }

  private static List<ReportingDescriptor> rules() {
    return List.of(
        rule(LET_OUT, "error", "NEW lets out packets OLD stopped",
            "The change lets a class of packets leave outside the tunnel, in one of the audited scenarios (tunnel gone, open"
                + " connections, marked packets, TEE copies, forwarded), that the rules before the change stopped.",
            "9.0"),
        rule(STOPPED, "note", "NEW stops packets OLD let out",
            "The change stops a class of packets, in one of the audited scenarios, that the rules before the change let out"
                + " outside the tunnel.",
            "0.1"));
  }

  private static ReportingDescriptor rule(String id, String level, String summary, String meaning, String severity) {
    String help = summary + "\n\n" + meaning + "\n\nksaudit diff OLD NEW compares what each version lets out, per family and"
        + " scenario; the witness is a packet of the class, replayed through both versions.";
    return new ReportingDescriptor(id, id, new Message(summary), new Message(meaning), new Help(help, help),
        new Configuration(level), new RuleProperties(severity, List.of("security", "vpn", "killswitch", "diff")));
  }

  private Result result(Difference d, String newFile, Sources sources, Map<String, Integer> seen) {
    List<TraceStep> newTrace = d.letOut() ? d.letOutTrace() : d.stoppedTrace();
    List<TraceStep> oldTrace = d.letOut() ? d.stoppedTrace() : d.letOutTrace();
    SarifLocation primary;
    List<SarifLocation> related = new ArrayList<>();
    String ruleText;
    if (d.letOut()) {
      primary = d.location().map(l -> location(l, sources)).orElse(line(newFile, 1, null));
      ruleText = d.location().map(l -> lineOf(l, sources)).orElse("");
      if (!oldTrace.isEmpty()) related.add(step(oldTrace.get(oldTrace.size() - 1), "OLD stopped it here"));
    } else {
      primary = newTrace.isEmpty() ? line(newFile, 1, null) : step(newTrace.get(newTrace.size() - 1), null);
      ruleText = newTrace.isEmpty() ? "" : sources.line(newTrace.get(newTrace.size() - 1).file(), newTrace.get(newTrace.size() - 1).line());
      d.location().ifPresent(l -> related.add(new SarifLocation(location(l, sources).physicalLocation(),
          new Message("OLD let it out here"))));
    }
    String id = d.letOut() ? LET_OUT : STOPPED;
    String key = id + "\n" + d.family().label() + "\n" + d.scenario().jsonName() + "\n" + ruleText.strip().replaceAll("\\s+", " ")
        + "\n" + d.witness().map(w -> w.describe()).orElse("");
    int occurrence = seen.merge(key, 1, Integer::sum);
    List<CodeFlow> flows = newTrace.isEmpty() ? null
        : List.of(new CodeFlow(List.of(new ThreadFlow(newTrace.stream().map(s -> new ThreadFlowLocation(step(s, null))).toList()))));
    String message = d.family().label() + ", " + d.scenario().label() + ": " + DiffReport.message(d) + " ["
        + d.certainty().label() + "]" + d.witness().map(w -> "; for example " + w.describe()).orElse("");
    return new Result(id, d.letOut() ? 0 : 1, d.letOut() ? "error" : "note", new Message(message), List.of(primary),
        related.isEmpty() ? null : related, Map.of(FINGERPRINT, SarifReport.sha256(key + "\n" + occurrence)), flows, null,
        new DiffProperties(d.letOut() ? "let-out" : "stopped", d.scenario().jsonName(), d.certainty().label(),
            d.witness().map(JsonReport::witness).orElse(null), d.witness().map(w -> w.describe()).orElse(null)));
  }

  /** What a result of the comparison is about: the change, its scenario, and a packet of it. */
  @JsonInclude(Include.NON_NULL)
  record DiffProperties(String change, String scenario, String certainty, JsonReport.WitnessJson witness, String witnessText)
      implements SarifReport.Properties {}

  private static String lineOf(Location l, Sources sources) {
    return l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
  }

  private SarifLocation location(Location l, Sources sources) {
    int length = l.sourceLine().isEmpty() ? TextReport.wordLength(lineOf(l, sources), l.pos().column()) : l.length();
    int line = l.pos().line();
    int column = l.pos().column();
    // SARIF's end column is exclusive
    return new SarifLocation(new PhysicalLocation(artifacts.artifact(l.pos().file()), new Region(line, column, line, column + length)),
        null);
  }

  /** A whole line (a rule or a chain's policy line): no columns. */
  private SarifLocation line(String file, int line, String message) {
    return new SarifLocation(new PhysicalLocation(artifacts.artifact(file), new Region(line, null, null, null)),
        message == null ? null : new Message(message));
  }

  private SarifLocation step(TraceStep s, String message) {
    return line(s.file(), s.line(), message == null ? s.table() + "/" + s.chain() + " " + (s.policy() ? "policy " : "") + s.target()
        : message + ": " + s.table() + "/" + s.chain() + " " + (s.policy() ? "policy " : "") + s.target());
  }
}
