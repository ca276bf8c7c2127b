package org.ksaudit.lab;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.ksaudit.report.Json;

/** Renders a {@link ProbeReport} as text for people or JSON for tools. */
public final class ProbeReportPrinter {
  private ProbeReportPrinter() {}

  /** One word for what happened to a probe. */
  static String result(ProbeOutcome o) {
    if (!o.sent()) return "not-sent";
    if (o.leaked()) return "leaked";
    if (o.inClear()) return "in-clear-declared";
    if (o.internetTunnel()) return "tunnel";
    return "blocked";
  }

  public static String text(ProbeReport r) {
    StringBuilder b = new StringBuilder();
    LabPlan p = r.plan();
    b.append("ksaudit probe: ").append(p.kind().label()).append(" lab, VPN server ").append(p.server()).append(':').append(p.port())
        .append('/').append(p.proto()).append(", tunnel ").append(p.tunnelInterface()).append('\n');
    for (String n : p.notes()) b.append("  ").append(n).append('\n');
    r.predictionsNote().ifPresent(n -> b.append("  no predictions: ").append(n).append('\n'));
    for (ScenarioResult s : r.scenarios()) {
      b.append('\n').append("== ").append(s.scenario().label()).append(": ").append(s.scenario().description()).append('\n');
      b.append("   tunnel ").append(s.tunnelUp() ? "up" : "down").append('\n');
      for (String n : s.notes()) b.append("   ").append(n).append('\n');
      if (s.scenario() == Scenario.BASELINE) {
        if (r.baselineWorks()) {
          b.append("   baseline: works (DNS through the tunnel; the web page shows the VPN exit ").append(p.exit4()).append(")\n");
        } else {
          b.append("   baseline: BROKEN: ").append(r.baselineProblem().orElse("")).append('\n');
        }
      }
      for (ProbeOutcome o : s.outcomes()) b.append(line(o));
      b.append("   -> ").append(s.leaks()).append(s.leaks() == 1 ? " leak" : " leaks").append('\n');
    }
    b.append('\n');
    for (ScenarioResult s : r.scenarios()) {
      for (ProbeOutcome o : s.outcomes()) {
        if (o.disagreement()) {
          b.append("analysis disagreement: ").append(s.scenario().label()).append(": ").append(o.probe().packet()).append(" out ")
              .append(o.oif().orElse("?")).append(": the engine predicts ").append(o.predicted().orElse("?"))
              .append(o.predictedInClear() ? " (leaves in clear)" : " (stays in)").append(", the kernel ")
              .append(o.inClear() ? "let it out in clear" : "did not let it out in clear").append('\n');
        }
      }
    }
    boolean declared = r.scenarios().stream().flatMap(x -> x.outcomes().stream()).anyMatch(o -> result(o).equals("in-clear-declared"));
    if (declared) b.append("clear* = in clear to a LAN declared with --allow-lan: intended, not counted as a leak\n");
    b.append("summary: ").append(r.leaks()).append(r.leaks() == 1 ? " leak" : " leaks").append(" measured, baseline ")
        .append(!r.baselineRun() ? "not run" : r.baselineWorks() ? "works" : "broken").append(", ").append(r.disagreements()).append(" analysis disagreement")
        .append(r.disagreements() == 1 ? "" : "s").append(String.format(Locale.ROOT, " (%.1f s)", r.seconds())).append('\n');
    return b.toString();
  }

  private static String line(ProbeOutcome o) {
    String word = switch (result(o)) {
      case "leaked" -> "LEAK";
      case "in-clear-declared" -> "clear*";
      case "tunnel" -> "tunnel";
      case "not-sent" -> "unsent";
      default -> "blocked";
    };
    ScenarioProbe p = o.probe();
    StringBuilder where = new StringBuilder();
    o.routerInterface().ifPresent(i -> where.append(i.equals(ProbeCounters.AT_LAN_HOST) ? "in clear at " + i : "in clear at the router (" + i + ")"));
    if (o.internetTunnel()) append(where, "reached the internet through the VPN");
    else if (o.internetClear()) append(where, "reached the internet in clear");
    o.answer().ifPresent(a -> append(where, "answer " + a));
    o.sendError().ifPresent(e -> append(where, e));
    if (where.length() == 0) where.append("arrived nowhere");
    String pred = o.predicted().map(v -> "predicted " + v + (o.disagreement() ? "  <- analysis disagreement" : "")).orElse("no prediction");
    return String.format(Locale.ROOT, "   %-7s %-28s out %-6s %-52s %s; %s%s%n", word, p.packet(), o.oif().orElse("-"), p.label(),
        where, pred, p.findings().isEmpty() ? "" : " [" + String.join(", ", p.findings()) + "]");
  }

  private static void append(StringBuilder b, String s) {
    if (b.length() > 0) b.append(", ");
    b.append(s);
  }

  public static String json(ProbeReport r) {
    LabPlan p = r.plan();
    StringBuilder b = new StringBuilder("{\"tool\":\"ksaudit\",\"command\":\"probe\",\"lab\":{");
    b.append("\"kind\":").append(q(p.kind().label())).append(",\"server\":").append(q(p.server()))
        .append(",\"port\":").append(p.port()).append(",\"proto\":").append(q(p.proto()))
        .append(",\"tunnel\":").append(q(p.tunnelInterface())).append(",\"vpnDns\":").append(q(p.vpnDns()))
        .append(",\"lan\":[").append(q(p.lan4().toString())).append(',').append(q(p.lan6().toString())).append("]")
        .append(",\"notes\":").append(list(p.notes())).append("},");
    b.append("\"baseline\":{\"run\":").append(r.baselineRun()).append(",\"works\":").append(r.baselineWorks()).append(",\"problem\":").append(opt(r.baselineProblem()))
        .append(",\"webShows\":").append(opt(r.webShows())).append(",\"exit\":").append(q(p.exit4())).append("},");
    b.append("\"predictions\":").append(r.predictionsNote().isEmpty() ? "\"engine\"" : q("unavailable: " + r.predictionsNote().get())).append(',');
    b.append("\"scenarios\":[");
    for (int i = 0; i < r.scenarios().size(); i++) {
      ScenarioResult s = r.scenarios().get(i);
      if (i > 0) b.append(',');
      b.append("{\"name\":").append(q(s.scenario().label())).append(",\"tunnelUp\":").append(s.tunnelUp())
          .append(",\"notes\":").append(list(s.notes())).append(",\"leaks\":").append(s.leaks()).append(",\"probes\":[");
      for (int j = 0; j < s.outcomes().size(); j++) {
        ProbeOutcome o = s.outcomes().get(j);
        ScenarioProbe pr = o.probe();
        if (j > 0) b.append(',');
        b.append("{\"id\":").append(q(pr.id())).append(",\"label\":").append(q(pr.label()))
            .append(",\"family\":").append(q(pr.family().label())).append(",\"proto\":").append(q(pr.proto()))
            .append(",\"dst\":").append(q(pr.dst())).append(",\"dport\":").append(pr.dport())
            .append(",\"oif\":").append(opt(o.oif())).append(",\"findings\":").append(list(pr.findings()))
            .append(",\"result\":").append(q(result(o))).append(",\"router\":").append(opt(o.routerInterface()))
            .append(",\"internet\":").append(q(o.internetTunnel() ? "tunnel" : o.internetClear() ? "clear" : "none"))
            .append(",\"answer\":").append(opt(o.answer())).append(",\"error\":").append(opt(o.sendError()))
            .append(",\"predicted\":").append(opt(o.predicted())).append(",\"disagreement\":").append(o.disagreement()).append('}');
      }
      b.append("]}");
    }
    b.append("],\"summary\":{\"leaks\":").append(r.leaks()).append(",\"disagreements\":").append(r.disagreements())
        .append(String.format(Locale.ROOT, ",\"seconds\":%.1f}}", r.seconds())).append('\n');
    return b.toString();
  }

  private static String opt(Optional<String> s) {
    return s.map(ProbeReportPrinter::q).orElse("null");
  }

  private static String list(List<String> xs) {
    return "[" + String.join(",", xs.stream().map(ProbeReportPrinter::q).toList()) + "]";
  }

  static String q(String s) {
    return Json.quote(s);
  }
}
