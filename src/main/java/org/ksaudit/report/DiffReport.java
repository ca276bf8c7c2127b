package org.ksaudit.report;

import java.util.List;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Difference;
import org.ksaudit.check.Location;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.TerminalText;

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
 * JSON: {@code {"tool","version","old":[…],"new":[…],"differences":[{"change":"let-out"|"stopped","family",
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

  private static String message(Difference d) {
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

  public static String json(String version, List<String> before, List<String> after, RulesetDiff.Result r) {
    Json j = new Json().raw("{").key("tool").str("ksaudit").comma().key("version").str(version).comma();
    files(j, "old", before);
    files(j.comma(), "new", after);
    j.comma().key("differences").raw("[");
    for (int i = 0; i < r.differences().size(); i++) {
      if (i > 0) j.comma();
      difference(j, r.differences().get(i));
    }
    j.raw("]");
    JsonReport.tunnel(j, r.tunnels());
    long out = r.differences().stream().filter(Difference::letOut).count();
    j.comma().key("summary").raw("{").key("let_out").num(out).comma().key("stopped").num(r.differences().size() - out).raw("}}");
    return j.toString();
  }

  private static void files(Json j, String key, List<String> files) {
    j.key(key).raw("[");
    for (int i = 0; i < files.size(); i++) {
      if (i > 0) j.comma();
      j.str(files.get(i));
    }
    j.raw("]");
  }

  private static void difference(Json j, Difference d) {
    j.raw("{").key("change").str(d.letOut() ? "let-out" : "stopped").comma().key("family").str(d.family().label()).comma()
        .key("scenario").str(d.scenario().jsonName()).comma().key("certainty").str(d.certainty().label()).comma().key("file")
        .str(d.file()).comma().key("line");
    if (d.location().isPresent()) j.num(d.location().get().pos().line());
    else j.nul();
    j.comma().key("column");
    if (d.location().isPresent()) j.num(d.location().get().pos().column());
    else j.nul();
    j.comma().key("witness");
    if (d.witness().isPresent()) JsonReport.witness(j, d.witness().get());
    else j.nul();
    j.comma().key("new_trace").raw("[");
    JsonReport.trace(j, d.letOut() ? d.letOutTrace() : d.stoppedTrace());
    j.raw("]").comma().key("old_trace").raw("[");
    JsonReport.trace(j, d.letOut() ? d.stoppedTrace() : d.letOutTrace());
    j.raw("]");
    if (!d.backend().isEmpty()) j.comma().key("backend").str(d.backend());
    j.raw("}");
  }
}
