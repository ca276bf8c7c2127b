package org.ksaudit.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jsoup.nodes.Element;
import org.ksaudit.lab.LabPlan;
import org.ksaudit.lab.ProbeOutcome;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ScenarioProbe;
import org.ksaudit.lab.ScenarioResult;

/**
 * The lab run as a table: one row per probe, one column per scenario in the order they ran,
 * each cell saying and colouring what happened to that probe there: leaked in clear, blocked,
 * through the tunnel, in clear to a declared LAN, not sent; a cell where the engine's prediction
 * and the kernel disagree is marked as a disagreement whatever happened. A probe is the same row
 * in every scenario when its label, packet and interface are (its id differs per scenario).
 */
final class LabMatrix {
  private LabMatrix() {}

  /** What happened to one probe in one scenario; {@code word} is what the cell says and its class. */
  enum Cell {
    LEAK("leak", "leaked in clear"),
    BLOCKED("blocked", "stopped before it left in clear"),
    TUNNEL("tunnel", "went through the tunnel"),
    DECLARED("declared", "in clear to a LAN declared with --allow-lan: intended"),
    UNSENT("unsent", "could not be sent");

    final String word;
    final String meaning;

    Cell(String word, String meaning) {
      this.word = word;
      this.meaning = meaning;
    }

    static Cell of(ProbeOutcome o) {
      if (!o.sent()) return UNSENT;
      if (o.leaked()) return LEAK;
      if (o.inClear()) return DECLARED;
      if (o.internetTunnel()) return TUNNEL;
      return BLOCKED;
    }
  }

  static void write(Element section, ProbeReport r) {
    LabPlan p = r.plan();
    PageText.add(section, "p", p.kind().label() + " lab, VPN server " + p.server() + ":" + p.port() + "/" + p.proto() + ", tunnel "
        + p.tunnelInterface() + String.format(Locale.ROOT, "; %d %s measured, %d %s with the engine, %.1f s", r.leaks(),
            r.leaks() == 1 ? "leak" : "leaks", r.disagreements(), r.disagreements() == 1 ? "disagreement" : "disagreements",
            r.seconds()));
    String baseline = !r.baselineRun() ? "baseline not run"
        : r.baselineWorks() ? "baseline: the VPN works through the killswitch" + r.webShows().map(a -> " (the web page shows " + a + ")").orElse("")
        : "baseline BROKEN: " + r.baselineProblem().orElse("the tunnel did not carry DNS and the web");
    PageText.add(section, "p", r.baselineRun() && !r.baselineWorks() ? "baseline-broken" : "muted", baseline);
    r.predictionsNote().ifPresent(n -> PageText.add(section, "p", "muted", "no predictions from the engine: " + n));
    if (!p.notes().isEmpty()) {
      Element ul = section.appendElement("ul").addClass("muted");
      for (String n : p.notes()) PageText.add(ul, "li", n);
    }
    legend(section);
    table(section, r);
    notes(section, r);
  }

  private static void legend(Element section) {
    Element legend = section.appendElement("p").addClass("legend");
    for (Cell c : List.of(Cell.LEAK, Cell.BLOCKED, Cell.TUNNEL)) {
      PageText.append(legend.appendElement("span").addClass(c.word), c.word + ": " + c.meaning);
    }
    PageText.append(legend.appendElement("span").addClass("disagreement"), "≠ engine: the engine predicted otherwise (a disagreement)");
  }

  private static void table(Element section, ProbeReport r) {
    Map<String, ScenarioProbe> rows = new LinkedHashMap<>();
    for (ScenarioResult s : r.scenarios()) for (ProbeOutcome o : s.outcomes()) rows.putIfAbsent(key(o.probe()), o.probe());
    Element table = section.appendElement("table").addClass("matrix");
    Element head = table.appendElement("thead").appendElement("tr");
    PageText.add(head, "th", "probe");
    for (ScenarioResult s : r.scenarios()) {
      Element th = PageText.add(head, "th", s.scenario().label());
      PageText.attr(th, "title", s.scenario().description() + "; tunnel " + (s.tunnelUp() ? "up" : "down"));
      th.appendElement("br");
      PageText.add(th, "span", "muted", "tunnel " + (s.tunnelUp() ? "up" : "down"));
    }
    Element body = table.appendElement("tbody");
    for (Map.Entry<String, ScenarioProbe> row : rows.entrySet()) {
      Element tr = body.appendElement("tr");
      ScenarioProbe probe = row.getValue();
      Element name = PageText.add(tr, "td", "probe", probe.label());
      name.appendElement("br");
      PageText.add(name, "code", probe.family().label() + " " + probe.packet() + probe.forcedOif().map(i -> " out " + i).orElse(""));
      for (ScenarioResult s : r.scenarios()) {
        Optional<ProbeOutcome> o = s.outcomes().stream().filter(x -> key(x.probe()).equals(row.getKey())).findFirst();
        if (o.isEmpty()) {
          PageText.add(tr, "td", "unsent", "not probed");
          continue;
        }
        Cell c = Cell.of(o.get());
        Element td = PageText.add(tr, "td", o.get().disagreement() ? "disagreement" : c.word,
            c.word + (o.get().disagreement() ? " ≠ engine" : ""));
        PageText.attr(td, "title", detail(o.get(), c));
      }
    }
  }

  /** What the cell's tooltip says: where the probe was seen, what answered, what the engine predicted. */
  private static String detail(ProbeOutcome o, Cell c) {
    List<String> parts = new ArrayList<>();
    parts.add(c.meaning);
    o.oif().ifPresent(i -> parts.add("out " + i));
    o.routerInterface().ifPresent(i -> parts.add("counted in clear at " + i));
    if (o.internetClear()) parts.add("reached the internet in clear");
    o.answer().ifPresent(a -> parts.add("answer " + a));
    o.sendError().ifPresent(parts::add);
    parts.add(o.predicted().map(v -> "the engine predicts " + v).orElse("no prediction"));
    if (!o.probe().findings().isEmpty()) parts.add("findings " + String.join(", ", o.probe().findings()));
    return String.join("; ", parts);
  }

  private static void notes(Element section, ProbeReport r) {
    Element ul = new Element("ul");
    for (ScenarioResult s : r.scenarios()) {
      for (String n : s.notes()) PageText.add(ul, "li", s.scenario().label() + ": " + n);
      for (ProbeOutcome o : s.outcomes()) {
        if (!o.disagreement()) continue;
        PageText.add(ul, "li", s.scenario().label() + ": analysis disagreement on " + o.probe().packet() + " out "
            + o.oif().orElse("?") + ": the engine predicts " + o.predicted().orElse("?")
            + (o.predictedInClear() ? " (leaves in clear)" : " (stays in)") + ", the kernel "
            + (o.inClear() ? "let it out in clear" : "did not let it out in clear"));
      }
    }
    if (ul.childrenSize() > 0) section.appendChild(ul);
  }

  private static String key(ScenarioProbe p) {
    return p.label() + "\n" + p.family().label() + " " + p.packet() + "\n" + p.forcedOif().orElse("") + "\n" + p.forwarded();
  }
}
