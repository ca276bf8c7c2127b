package org.ksaudit.report;

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
  public static String json(String proto, Tracer.Traced t) {
    Packet p = t.packet();
    Json j = new Json().raw("{").key("family").str(p.family().label()).comma().key("path").str(t.path().name()).comma()
        .key("proto").str(proto).comma().key("src").str(IpText.format(p.family(), p.src())).comma().key("dst")
        .str(IpText.format(p.family(), p.dst())).comma().key("dport").num(p.hasPorts() ? p.dport() : -1).comma()
        .key("oif").str(p.oif()).comma().key("iif").str(p.iif()).comma().key("state").str(p.state().name()).comma();
    if (p.proto() == Packet.TCP) j.key("flags").str(TcpFlags.format(p.tcpFlags())).comma();
    j.key("verdict").str(t.verdict().name()).comma().key("certain")
        .raw(Boolean.toString(t.certain())).comma().key("possible").raw("[");
    List<Verdict> vs = t.possible().stream().sorted().toList();
    for (int i = 0; i < vs.size(); i++) {
      if (i > 0) j.comma();
      j.str(vs.get(i).name());
    }
    j.raw("]").comma().key("trace").raw("[");
    JsonReport.trace(j, t.steps());
    return j.raw("]}").toString();
  }

  /**
   * The rules could not be loaded, so no packet was traced: the files, their diagnostics, no
   * results, and the error with its exit code, as {@link ErrorReport} writes it.
   */
  public static String jsonRefused(String version, List<String> files, List<Diagnostic> diagnostics, String message,
      int exitCode) {
    Json j = new Json().raw("{").key("tool").str("ksaudit").comma().key("version").str(version).comma().key("files").raw("[");
    for (int i = 0; i < files.size(); i++) {
      if (i > 0) j.comma();
      j.str(files.get(i));
    }
    j.raw("]").comma();
    JsonReport.diagnostics(j, diagnostics);
    return j.comma().key("results").raw("[]").comma().key("error").raw("{").key("message").str(message).comma()
        .key("exitCode").num(exitCode).raw("}}").toString();
  }

  public static String jsonDocument(String version, List<String> results) {
    return "{\"tool\":\"ksaudit\",\"version\":" + Json.quote(version) + ",\"results\":[" + String.join(",", results) + "]}";
  }
}
