package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Difference;
import org.ksaudit.check.Location;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.model.SourcePos;

/**
 * {@code ksaudit diff} in text and JSON. Text: one block per difference, as a finding is
 * printed, at the rule of the version that lets the packets out:
 *
 * <pre>
 * new.v4:9:38: newly let out: ipv4, tunnel gone: NEW lets out through this rule what OLD stopped [definite]
 *   -A OUTPUT -d 192.168.0.0/16 -o eth0 -j ACCEPT
 *                                       ^~~~~~~~~
 *   witness: ipv4 tcp 192.168.0.1:443 out eth0
 *   NEW: new.v4:9 filter/OUTPUT ACCEPT
 *   OLD: old.v4:7 filter/OUTPUT policy DROP
 * </pre>
 *
 * JSON: {@code {"tool","version","schemaVersion","old":[…],"new":[…],"differences":[{"change":"let-out"|"stopped","family",
 * "scenario","certainty","file","line","column","witness":{…},"new_trace":[…],"old_trace":[…][,"backend"]}],
 * "tunnel":{…},"summary":{"let_out":n,"stopped":n}}}.
 */
public final class DiffReport {
  private DiffReport() {}

  public static String text(List<String> before, List<String> after, RulesetDiff.Result r, Sources sources) {
    StringBuilder sb = new StringBuilder();
    sb.append(TerminalText.line("OLD: " + String.join(", ", before) + "; NEW: " + String.join(", ", after))).append('\n');
    for (String line : r.tunnels().describe()) sb.append(TerminalText.line(line)).append('\n');
    for (Difference d : r.differences()) sb.append(text(d, sources));
    sb.append(summary(r.differences())).append('\n');
    return sb.toString();
  }

  static String text(Difference d, Sources sources) {
    StringBuilder sb = new StringBuilder();
    String where = d.location().map(l -> l.pos().toString()).orElse(d.file());
    sb.append(TerminalText.line(where + ": " + (d.letOut() ? "newly let out" : "newly stopped") + ": " + d.family().label() + ", "
        + d.scenario().label() + ": " + message(d) + " [" + d.certainty().label() + "]")).append('\n');
    if (d.location().isPresent()) {
      Location l = d.location().get();
      String line = l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
      DiagnosticPrinter.appendSourceAndCaret(sb, line, l.pos().column(), l.length());
    }
    d.witness().ifPresent(w -> sb.append("  witness: ").append(TerminalText.line(w.describe())).append('\n'));
    steps(sb, "NEW", d.letOut() ? d.letOutTrace() : d.stoppedTrace());
    steps(sb, "OLD", d.letOut() ? d.stoppedTrace() : d.letOutTrace());
    return sb.toString();
  }

  static String message(Difference d) {
    String lets = d.letOut() ? "NEW" : "OLD";
    String other = d.letOut() ? "OLD" : "NEW";
    String through = d.location().isPresent() ? "through this " + (d.location().get().sourceLine().isEmpty() ? "policy" : "rule")
        : "because it has no such chain (the kernel's default accepts)";
    String rest = d.letOut() ? "what OLD stopped" : "what NEW stops";
    String absent = d.stoppedTrace().isEmpty() ? " (the packet does not occur with " + other + "'s rules)" : "";
    String backend = d.backend().isEmpty() ? "" : " (as " + d.backend() + " loads the files)";
    return lets + " lets out " + through + " " + rest + absent + backend;
  }

  private static void steps(StringBuilder sb, String version, List<TraceStep> steps) {
    if (steps.isEmpty()) sb.append("  ").append(version).append(": -\n");
    for (TraceStep s : steps) sb.append("  ").append(version).append(": ").append(TerminalText.line(s.describe())).append('\n');
  }

  public static String summary(List<Difference> differences) {
    long out = differences.stream().filter(Difference::letOut).count();
    long stopped = differences.size() - out;
    if (differences.isEmpty()) return "no difference: NEW lets out nothing OLD stopped, and stops nothing OLD let out";
    return differences.size() + (differences.size() == 1 ? " difference: " : " differences: ") + out + " newly let out, "
        + stopped + " newly stopped" + (out > 0 ? " (NEW lets out more)" : " (NEW only blocks more)");
  }

  /** The diff document (schema: {@code schema/ksaudit.schema.json}, {@code $defs/diff}). */
  public static String json(String version, List<String> before, List<String> after, RulesetDiff.Result r) {
    long out = r.differences().stream().filter(Difference::letOut).count();
    return JsonOutput.write(new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, before, after,
        r.differences().stream().map(DiffReport::difference).toList(), JsonReport.tunnel(r.tunnels()),
        new Summary(out, r.differences().size() - out)));
  }

  record Document(String tool, String version, int schemaVersion, @JsonProperty("old") List<String> before,
      @JsonProperty("new") List<String> after, List<DifferenceJson> differences, JsonReport.TunnelJson tunnel, Summary summary) {}

  /** {@code backend} only when one backend alone loads the files so. */
  record DifferenceJson(String change, String family, String scenario, String certainty, String file, Integer line, Integer column,
      JsonReport.WitnessJson witness, @JsonProperty("new_trace") List<JsonReport.StepJson> newTrace,
      @JsonProperty("old_trace") List<JsonReport.StepJson> oldTrace, @JsonInclude(Include.NON_NULL) String backend) {}

  record Summary(@JsonProperty("let_out") long letOut, long stopped) {}

  private static DifferenceJson difference(Difference d) {
    Optional<SourcePos> at = d.location().map(Location::pos);
    return new DifferenceJson(d.letOut() ? "let-out" : "stopped", d.family().label(), d.scenario().jsonName(), d.certainty().label(),
        d.file(), at.map(SourcePos::line).orElse(null), at.map(SourcePos::column).orElse(null),
        d.witness().map(JsonReport::witness).orElse(null), JsonReport.trace(d.letOut() ? d.letOutTrace() : d.stoppedTrace()),
        JsonReport.trace(d.letOut() ? d.stoppedTrace() : d.letOutTrace()), d.backend().isEmpty() ? null : d.backend());
  }
}
