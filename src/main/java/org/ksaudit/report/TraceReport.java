package org.ksaudit.report;

import java.util.List;
import java.util.stream.Collectors;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.model.value.IpText;

/** What {@code ksaudit trace} prints: one packet's path in full, or one line per probe. */
public final class TraceReport {
  private TraceReport() {}

  /** The single-packet form: the packet, every rule that matched, the verdict. */
  public static String text(Tracer.Traced t) {
    StringBuilder sb = new StringBuilder();
    sb.append("packet: ").append(t.packet().family().label()).append(' ').append(t.packet().describe()).append('\n');
    if (t.steps().isEmpty()) sb.append("  (no rule and no policy applies: nothing filters this packet)\n");
    for (TraceStep s : t.steps()) sb.append("  ").append(s.describe()).append('\n');
    sb.append("verdict: ").append(t.verdict());
    if (!t.certain()) sb.append(" (uncertain: ").append(alternatives(t)).append(')');
    return sb.append('\n').toString();
  }

  /** The batch form: {@code PROTO DST DPORT OIF VERDICT # trace}. */
  public static String line(String probeLine, Tracer.Traced t) {
    String trace = t.steps().isEmpty() ? "no rules" : t.steps().stream().map(TraceStep::describe).collect(Collectors.joining("; "));
    if (!t.certain()) trace += "; uncertain: " + alternatives(t);
    return probeLine + " " + t.verdict() + " # " + trace;
  }

  private static String alternatives(Tracer.Traced t) {
    return "matches ksaudit cannot decide make it " + t.possible().stream().map(Verdict::name).sorted()
        .collect(Collectors.joining(" or "));
  }

  /** One result as JSON: the probe's fields, the verdict, whether it is certain, the trace. */
  public static String json(String proto, Tracer.Traced t) {
    Packet p = t.packet();
    Json j = new Json().raw("{").key("family").str(p.family().label()).comma().key("proto").str(proto).comma().key("dst")
        .str(IpText.format(p.family(), p.dst())).comma().key("dport").num(p.hasPorts() ? p.dport() : -1).comma()
        .key("oif").str(p.oif()).comma().key("verdict").str(t.verdict().name()).comma().key("certain")
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

  public static String jsonDocument(String version, List<String> results) {
    return "{\"tool\":\"ksaudit\",\"version\":" + Json.quote(version) + ",\"results\":[" + String.join(",", results) + "]}";
  }
}
