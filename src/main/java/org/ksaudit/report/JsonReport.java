package org.ksaudit.report;

import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.check.Suppression;
import org.ksaudit.check.TunnelChoice;
import org.ksaudit.check.Witness;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.SourcePos;

/**
 * The audit as one JSON document:
 * {@code {"tool":"ksaudit","version":…,"files":[…],"findings":[{"id","category","kind","severity",
 * "certainty","file","line","column","message","traffic":[{"kind","text"}],"locations":[{"line","column","text"}],
 * "witness":{"family","proto","dst","dport","oif"[,"iif"][,"src"][,"sport"][,"icmp_type"][,"tcp_flags"][,"state"][,"mark"][,"uid"][,"gid"]},
 * "trace":[{"file","line","chain","target"}][,"suppressed":{"kind","reason","until","file","line"}]}],
 * "tunnel":{"taken":[{"name","source","file","line"}],"refused":[{"name","reason","file","line"}]},
 * "summary":{"error":n,"warning":n,"info":n,"suppressed":n}}}: "traffic" lists
 * what gets out through the finding's rules, kind by kind ("link-local", "vpn", "dns", "lan", "other"; empty for
 * findings that are no leak), "locations" every rule of the same shape the finding covers, the one of
 * "line" first, with the line as written ("text"); each optional witness field is present only when the
 * leak needs it. A suppressed finding carries "suppressed" ("kind": inline, config or baseline; "until"
 * a date or null; "file" and "line" where the suppression is written) and is counted only as suppressed.
 * Syntax diagnostics, when there are any, come in a "diagnostics" array beside the findings;
 * the summary counts diagnostics and reported findings together.
 */
public final class JsonReport {
  private JsonReport() {}

  public static String render(String version, List<String> files, List<Diagnostic> diagnostics, List<Finding> findings) {
    return render(version, files, diagnostics, findings, Optional.empty(), new Sources());
  }

  /** With the audit's choice of tunnel interfaces, as {@code "tunnel":{"taken":[…],"refused":[…]}} after the findings. */
  public static String render(String version, List<String> files, List<Diagnostic> diagnostics, List<Finding> findings,
      Optional<TunnelChoice> tunnels, Sources sources) {
    Json j = new Json().raw("{").key("tool").str("ksaudit").comma().key("version").str(version).comma().key("files").raw("[");
    for (int i = 0; i < files.size(); i++) {
      if (i > 0) j.comma();
      j.str(files.get(i));
    }
    j.raw("]");
    if (!diagnostics.isEmpty()) diagnostics(j.comma(), diagnostics);
    j.comma().key("findings").raw("[");
    for (int i = 0; i < findings.size(); i++) {
      if (i > 0) j.comma();
      finding(j, findings.get(i), sources);
    }
    j.raw("]");
    tunnels.ifPresent(t -> tunnel(j, t));
    j.comma().key("summary").raw("{").key("error").num(count(diagnostics, findings, Severity.ERROR)).comma()
        .key("warning").num(count(diagnostics, findings, Severity.WARNING)).comma().key("info")
        .num(count(diagnostics, findings, Severity.INFO)).comma().key("suppressed")
        .num(findings.stream().filter(f -> !f.reported()).count()).raw("}}");
    return j.toString();
  }

  /** The summary counts both: a syntax error is as much an error of the run as a leak. */
  private static long count(List<Diagnostic> diagnostics, List<Finding> findings, Severity s) {
    return diagnostics.stream().filter(d -> d.severity() == s).count() + TextReport.count(findings, s);
  }

  /** {@code "diagnostics":[{"file","line","column","severity","message"[,"hint"]}]} */
  static void diagnostics(Json j, List<Diagnostic> diagnostics) {
    j.key("diagnostics").raw("[");
    for (int i = 0; i < diagnostics.size(); i++) {
      if (i > 0) j.comma();
      Diagnostic d = diagnostics.get(i);
      j.raw("{").key("file").str(d.pos().file()).comma().key("line").num(d.pos().line()).comma().key("column")
          .num(d.pos().column()).comma().key("severity").str(d.severity().label()).comma().key("message").str(d.message());
      if (d.hint().isPresent()) j.comma().key("hint").str(d.hint().get());
      j.raw("}");
    }
    j.raw("]");
  }

  private static void finding(Json j, Finding f, Sources sources) {
    j.raw("{").key("id").str(f.id()).comma().key("category").str(f.category().jsonName()).comma().key("kind")
        .str(f.kind().jsonName()).comma().key("severity")
        .str(f.severity().label()).comma().key("certainty").str(f.certainty().label()).comma().key("file");
    if (f.file().isEmpty()) j.nul();
    else j.str(f.file());
    j.comma().key("line");
    if (f.location().isPresent()) j.num(f.location().get().pos().line());
    else j.nul();
    j.comma().key("column");
    if (f.location().isPresent()) j.num(f.location().get().pos().column());
    else j.nul();
    j.comma().key("message").str(f.message()).comma().key("traffic").raw("[");
    for (int i = 0; i < f.traffic().size(); i++) {
      if (i > 0) j.comma();
      j.raw("{").key("kind").str(f.traffic().get(i).kind().jsonName()).comma().key("text").str(f.traffic().get(i).text()).raw("}");
    }
    j.raw("]").comma().key("locations").raw("[");
    for (int i = 0; i < f.locations().size(); i++) {
      if (i > 0) j.comma();
      Location l = f.locations().get(i);
      String text = l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
      j.raw("{").key("line").num(l.pos().line()).comma().key("column").num(l.pos().column()).comma().key("text").str(text).raw("}");
    }
    j.raw("]").comma().key("witness");
    if (f.witness().isPresent()) witness(j, f.witness().get());
    else j.nul();
    j.comma().key("trace").raw("[");
    trace(j, f.trace());
    j.raw("]");
    f.suppressed().ifPresent(s -> suppressed(j, s));
    j.raw("}");
  }

  private static void suppressed(Json j, Suppression s) {
    j.comma().key("suppressed").raw("{").key("kind").str(s.kind().jsonName()).comma().key("reason").str(s.reason()).comma()
        .key("until");
    if (s.until().isPresent()) j.str(s.until().get().toString());
    else j.nul();
    j.comma().key("file").str(s.at().file()).comma().key("line").num(s.at().line()).raw("}");
  }

  static void tunnel(Json j, TunnelChoice t) {
    j.comma().key("tunnel").raw("{").key("taken").raw("[");
    for (int i = 0; i < t.taken().size(); i++) {
      if (i > 0) j.comma();
      TunnelChoice.Taken x = t.taken().get(i);
      j.raw("{").key("name").str(TunnelChoice.shown(x.name())).comma().key("source").str(x.source().label());
      position(j, x.at());
      j.raw("}");
    }
    j.raw("]").comma().key("refused").raw("[");
    for (int i = 0; i < t.refused().size(); i++) {
      if (i > 0) j.comma();
      TunnelChoice.Refused x = t.refused().get(i);
      j.raw("{").key("name").str(TunnelChoice.shown(x.name())).comma().key("reason").str(x.why());
      position(j, x.at());
      j.raw("}");
    }
    j.raw("]}");
  }

  private static void position(Json j, Optional<SourcePos> at) {
    j.comma().key("file");
    if (at.isPresent()) j.str(at.get().file()).comma().key("line").num(at.get().line());
    else j.nul().comma().key("line").nul();
  }

  static void witness(Json j, Witness w) {
    j.raw("{").key("family").str(w.family().label()).comma().key("proto").str(w.proto()).comma().key("dst").str(w.dst())
        .comma().key("dport").num(w.dport()).comma().key("oif").str(w.oif());
    // only what the leak needs beyond a probe: the documented five fields stay as they were
    if (!w.iif().isEmpty()) j.comma().key("iif").str(w.iif());
    if (!w.src().isEmpty()) j.comma().key("src").str(w.src());
    if (w.sport() >= 0) j.comma().key("sport").num(w.sport());
    if (w.icmpType() >= 0) j.comma().key("icmp_type").num(w.icmpType());
    if (!w.tcpFlags().isEmpty()) j.comma().key("tcp_flags").str(w.tcpFlags());
    if (!w.state().equals("NEW")) j.comma().key("state").str(w.state());
    if (w.mark() != 0) j.comma().key("mark").num(w.mark());
    if (w.uid() >= 0) j.comma().key("uid").num(w.uid());
    if (w.gid() >= 0) j.comma().key("gid").num(w.gid());
    j.raw("}");
  }

  static void trace(Json j, List<TraceStep> steps) {
    for (int i = 0; i < steps.size(); i++) {
      if (i > 0) j.comma();
      TraceStep s = steps.get(i);
      j.raw("{").key("file").str(s.file()).comma().key("line").num(s.line()).comma().key("chain").str(s.chain()).comma()
          .key("target").str(s.policy() ? "policy " + s.target() : s.target()).raw("}");
    }
  }
}
