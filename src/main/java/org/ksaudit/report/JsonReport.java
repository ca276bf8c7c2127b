package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import com.fasterxml.jackson.annotation.JsonProperty;
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
 * The audit as one JSON document (schema: {@code schema/ksaudit.schema.json}, {@code $defs/check}):
 * {@code {"tool":"ksaudit","version":…,"schemaVersion":1,"files":[…],"findings":[{"id","category","kind","severity",
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
public final class JsonReport implements ReportWriter {
  @Override
  public String write(CheckReport r) {
    if (r.refused()) return render(r.version(), r.names(), r.diagnostics(), List.of()) + "\n";
    List<Diagnostic> all = new java.util.ArrayList<>(r.diagnostics());
    all.addAll(r.notes());
    return render(r.version(), r.names(), all, r.findings(), r.tunnels(), r.sources()) + "\n";
  }

  public static String render(String version, List<String> files, List<Diagnostic> diagnostics, List<Finding> findings) {
    return render(version, files, diagnostics, findings, Optional.empty(), new Sources());
  }

  /** With the audit's choice of tunnel interfaces, as {@code "tunnel":{"taken":[…],"refused":[…]}} after the findings. */
  public static String render(String version, List<String> files, List<Diagnostic> diagnostics, List<Finding> findings,
      Optional<TunnelChoice> tunnels, Sources sources) {
    return JsonOutput.write(document(version, files, diagnostics, findings, tunnels, sources));
  }

  /** The check document as records, for the documents that hold one per host ({@code check} of many files). */
  static Document document(String version, List<String> files, List<Diagnostic> diagnostics, List<Finding> findings,
      Optional<TunnelChoice> tunnels, Sources sources) {
    return new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, files,
        diagnostics.isEmpty() ? null : diagnostics(diagnostics), findings.stream().map(f -> finding(f, sources)).toList(),
        tunnels.map(JsonReport::tunnel).orElse(null),
        new Summary(count(diagnostics, findings, Severity.ERROR), count(diagnostics, findings, Severity.WARNING),
            count(diagnostics, findings, Severity.INFO), findings.stream().filter(f -> !f.reported()).count()));
  }

  /** The check document; {@code diagnostics} and {@code tunnel} are left out when absent. */
  record Document(String tool, String version, int schemaVersion, List<String> files,
      @JsonInclude(Include.NON_NULL) List<DiagnosticJson> diagnostics, List<FindingJson> findings,
      @JsonInclude(Include.NON_NULL) TunnelJson tunnel, Summary summary) {}

  public record DiagnosticJson(String file, int line, int column, String severity, String message,
      @JsonInclude(Include.NON_NULL) String hint) {}

  record FindingJson(String id, String category, String kind, String severity, String certainty, String file, Integer line,
      Integer column, String message, List<TrafficJson> traffic, List<LocationJson> locations, WitnessJson witness,
      List<StepJson> trace, @JsonInclude(Include.NON_NULL) SuppressedJson suppressed) {}

  /** {@code until} is null when the suppression never expires: the field is always there. */
  record SuppressedJson(String kind, String reason, String until, String file, int line) {}

  record TrafficJson(String kind, String text) {}

  record LocationJson(int line, int column, String text) {}

  /** The five fields of a probe, then only what the leak needs beyond one. */
  @JsonInclude(Include.NON_NULL)
  public record WitnessJson(String family, String proto, String dst, int dport, String oif, String iif, String src, Integer sport,
      @JsonProperty("icmp_type") Integer icmpType, @JsonProperty("tcp_flags") String tcpFlags, String state, Long mark,
      Long uid, Long gid) {}

  public record StepJson(String file, int line, String chain, String target) {}

  record TunnelJson(List<TakenJson> taken, List<RefusedJson> refused) {}

  record TakenJson(String name, String source, String file, Integer line) {}

  record RefusedJson(String name, String reason, String file, Integer line) {}

  record Summary(long error, long warning, long info, long suppressed) {}

  /** The summary counts both: a syntax error is as much an error of the run as a leak. */
  private static long count(List<Diagnostic> diagnostics, List<Finding> findings, Severity s) {
    return diagnostics.stream().filter(d -> d.severity() == s).count() + TextReport.count(findings, s);
  }

  /** {@code "diagnostics":[{"file","line","column","severity","message"[,"hint"]}]} */
  static List<DiagnosticJson> diagnostics(List<Diagnostic> diagnostics) {
    return diagnostics.stream().map(d -> new DiagnosticJson(d.pos().file(), d.pos().line(), d.pos().column(),
        d.severity().label(), d.message(), d.hint().orElse(null))).toList();
  }

  private static FindingJson finding(Finding f, Sources sources) {
    Optional<SourcePos> at = f.location().map(Location::pos);
    return new FindingJson(f.id(), f.category().jsonName(), f.kind().jsonName(), f.severity().label(), f.certainty().label(),
        f.file().isEmpty() ? null : f.file(), at.map(SourcePos::line).orElse(null), at.map(SourcePos::column).orElse(null),
        f.message(), f.traffic().stream().map(t -> new TrafficJson(t.kind().jsonName(), t.text())).toList(),
        f.locations().stream().map(l -> new LocationJson(l.pos().line(), l.pos().column(),
            l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine())).toList(),
        f.witness().map(JsonReport::witness).orElse(null), trace(f.trace()), f.suppressed().map(JsonReport::suppressed).orElse(null));
  }

  private static SuppressedJson suppressed(Suppression s) {
    return new SuppressedJson(s.kind().jsonName(), s.reason(), s.until().map(Object::toString).orElse(null), s.at().file(),
        s.at().line());
  }

  static TunnelJson tunnel(TunnelChoice t) {
    return new TunnelJson(
        t.taken().stream().map(x -> new TakenJson(TunnelChoice.shown(x.name()), x.source().label(),
            x.at().map(SourcePos::file).orElse(null), x.at().map(SourcePos::line).orElse(null))).toList(),
        t.refused().stream().map(x -> new RefusedJson(TunnelChoice.shown(x.name()), x.why(),
            x.at().map(SourcePos::file).orElse(null), x.at().map(SourcePos::line).orElse(null))).toList());
  }

  static WitnessJson witness(Witness w) {
    return new WitnessJson(w.family().label(), w.proto(), w.dst(), w.dport(), w.oif(), w.iif().isEmpty() ? null : w.iif(),
        w.src().isEmpty() ? null : w.src(), w.sport() >= 0 ? w.sport() : null, w.icmpType() >= 0 ? w.icmpType() : null,
        w.tcpFlags().isEmpty() ? null : w.tcpFlags(), w.state().equals("NEW") ? null : w.state(),
        w.mark() != 0 ? w.mark() : null, w.uid() >= 0 ? w.uid() : null, w.gid() >= 0 ? w.gid() : null);
  }

  static List<StepJson> trace(List<TraceStep> steps) {
    return steps.stream().map(s -> new StepJson(s.file(), s.line(), s.chain(), s.policy() ? "policy " + s.target() : s.target()))
        .toList();
  }
}
