package org.ksaudit.lab;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import org.ksaudit.report.JsonOutput;

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

  /** The report as one JSON document (schema: {@code schema/ksaudit.schema.json}, {@code $defs/probe}). */
  public static String json(ProbeReport r, String version) {
    LabPlan p = r.plan();
    LabJson lab = new LabJson(p.kind().label(), p.server(), p.port(), p.proto(), p.tunnelInterface(), p.vpnDns(),
        List.of(p.lan4().toString(), p.lan6().toString()), p.notes());
    Baseline baseline = new Baseline(r.baselineRun(), r.baselineWorks(), r.baselineProblem().orElse(null),
        r.webShows().orElse(null), p.exit4());
    String predictions = r.predictionsNote().map(n -> "unavailable: " + n).orElse("engine");
    List<ScenarioJson> scenarios = r.scenarios().stream().map(s -> new ScenarioJson(s.scenario().label(), s.tunnelUp(),
        s.notes(), s.leaks(), s.outcomes().stream().map(ProbeReportPrinter::probe).toList())).toList();
    return JsonOutput.write(new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, "probe", lab, baseline, predictions,
        scenarios, new Summary(r.leaks(), r.disagreements(), BigDecimal.valueOf(r.seconds()).setScale(1, RoundingMode.HALF_UP))))
        + "\n";
  }

  private static ProbeJson probe(ProbeOutcome o) {
    ScenarioProbe pr = o.probe();
    return new ProbeJson(pr.id(), pr.label(), pr.family().label(), pr.proto(), pr.dst(), pr.dport(), o.oif().orElse(null),
        pr.findings(), result(o), o.routerInterface().orElse(null),
        o.internetTunnel() ? "tunnel" : o.internetClear() ? "clear" : "none", o.answer().orElse(null),
        o.sendError().orElse(null), o.predicted().orElse(null), o.disagreement());
  }

  record Document(String tool, String version, int schemaVersion, String command, LabJson lab, Baseline baseline,
      String predictions, List<ScenarioJson> scenarios, Summary summary) {}

  record LabJson(String kind, String server, int port, String proto, String tunnel, String vpnDns, List<String> lan,
      List<String> notes) {}

  record Baseline(boolean run, boolean works, String problem, String webShows, String exit) {}

  record ScenarioJson(String name, boolean tunnelUp, List<String> notes, long leaks, List<ProbeJson> probes) {}

  record ProbeJson(String id, String label, String family, String proto, String dst, int dport, String oif,
      List<String> findings, String result, String router, String internet, String answer, String error, String predicted,
      boolean disagreement) {}

  record Summary(long leaks, long disagreements, BigDecimal seconds) {}
}
