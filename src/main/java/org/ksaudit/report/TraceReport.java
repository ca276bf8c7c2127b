package org.ksaudit.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonInclude.Include;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Path;
import org.ksaudit.analysis.TcpFlags;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.model.value.IpText;

/**
 * What {@code ksaudit trace} prints: one packet's path in full, or one line per probe. Every
 * line is one line however the names in it (chains, interfaces, files) are spelt.
 */
public final class TraceReport {
  private TraceReport() {}

  /**
   * The single-packet form: the packet, its path when it is forwarded, every rule that matched,
   * a destination the rules rewrote before routing, the verdict.
   */
  public static String text(Tracer.Traced t) {
    StringBuilder sb = new StringBuilder();
    Packet p = t.packet();
    sb.append("packet: ").append(p.family().label()).append(' ').append(TerminalText.line(p.describe())).append('\n');
    if (t.path() == Path.FORWARD) {
      sb.append("path: FORWARD (routed through this host: in ").append(TerminalText.line(p.iif())).append(", out ")
          .append(TerminalText.line(p.oif()))
          .append("; raw, mangle, nat PREROUTING, mangle, filter, security FORWARD, mangle, nat POSTROUTING)\n");
    }
    if (t.steps().isEmpty()) sb.append("  (no rule and no policy applies: nothing filters this packet)\n");
    for (TraceStep s : t.steps()) sb.append("  ").append(TerminalText.line(s.describe())).append('\n');
    rewrittenBeforeRouting(t).ifPresent(r -> sb.append(TerminalText.line(r)).append('\n'));
    sb.append("verdict: ").append(t.verdict());
    if (!t.certain()) sb.append(" (uncertain: ").append(alternatives(t)).append(')');
    return sb.append('\n').toString();
  }

  /** The batch form: {@code PROTO DST DPORT OIF VERDICT # trace}. */
  public static String line(String probeLine, Tracer.Traced t) {
    String trace = t.steps().isEmpty() ? "no rules" : t.steps().stream().map(TraceStep::describe).collect(Collectors.joining("; "));
    if (!t.certain()) trace += "; uncertain: " + alternatives(t);
    return TerminalText.line(probeLine + " " + t.verdict() + " # " + trace);
  }

  /**
   * A forwarded packet is routed after nat PREROUTING: when DNAT changed its destination, the
   * output interface the user gave is only right if the host routes the new destination there.
   */
  private static Optional<String> rewrittenBeforeRouting(Tracer.Traced t) {
    Packet p = t.packet();
    Packet r = t.rewritten();
    if (t.path() != Path.FORWARD || (r.dst().equals(p.dst()) && r.dport() == p.dport())) return Optional.empty();
    String to = IpText.format(r.family(), r.dst()) + (r.hasPorts() ? " port " + r.dport() : "");
    return Optional.of("rewritten: nat PREROUTING changed the destination to " + to + " before routing; the verdict holds"
        + " for --out " + p.oif() + ", the interface this host must route " + IpText.format(r.family(), r.dst()) + " to");
  }

  private static String alternatives(Tracer.Traced t) {
    return "matches ksaudit cannot decide make it " + t.possible().stream().map(Verdict::name).sorted()
        .collect(Collectors.joining(" or "));
  }

  /**
   * One result as JSON: the path (OUTPUT or FORWARD), the probe's fields ({@code iif} empty for
   * a locally generated packet; {@code flags} only for TCP), the verdict, whether it is certain, the trace.
   */
  public static Result json(String proto, Tracer.Traced t) {
    Packet p = t.packet();
    return new Result(p.family().label(), t.path().name(), proto, IpText.format(p.family(), p.src()),
        IpText.format(p.family(), p.dst()), p.hasPorts() ? p.dport() : -1, p.oif(), p.iif(), p.state().name(),
        p.proto() == Packet.TCP ? TcpFlags.format(p.tcpFlags()) : null, t.verdict().name(), t.certain(),
        t.possible().stream().sorted().map(Verdict::name).toList(), JsonReport.trace(t.steps()));
  }

  /** One traced packet; {@code flags} is left out for a packet that is not TCP. */
  public record Result(String family, String path, String proto, String src, String dst, int dport, String oif, String iif,
      String state, @JsonInclude(Include.NON_NULL) String flags, String verdict, boolean certain, List<String> possible,
      List<JsonReport.StepJson> trace) {}

  /**
   * The rules could not be loaded, so no packet was traced: the files, their diagnostics, no
   * results, and the error with its exit code, as {@link ErrorReport} writes it.
   */
  public static String jsonRefused(String version, List<String> files, List<Diagnostic> diagnostics, String message,
      int exitCode) {
    return JsonOutput.write(new Refused("ksaudit", version, JsonOutput.SCHEMA_VERSION, files,
        JsonReport.diagnostics(diagnostics), List.of(), new ErrorReport.Error(message, exitCode)));
  }

  record Refused(String tool, String version, int schemaVersion, List<String> files,
      List<JsonReport.DiagnosticJson> diagnostics, List<Result> results, ErrorReport.Error error) {}

  public static String jsonDocument(String version, List<Result> results) {
    return JsonOutput.write(new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, results));
  }

  record Document(String tool, String version, int schemaVersion, List<Result> results) {}
}
