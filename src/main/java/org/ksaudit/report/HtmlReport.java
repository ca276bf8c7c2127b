package org.ksaudit.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.jsoup.nodes.DataNode;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Entities;
import org.jsoup.parser.ParseSettings;
import org.jsoup.parser.Parser;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.check.Traffic;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.lab.ProbeReport;

/**
 * The report as one self-contained HTML page: its stylesheet inline, its pictures inline SVG, no
 * script, font, image or link that the browser would fetch, so it reads the same offline and as a
 * CI artifact. It is built with jsoup's DOM, so every text of the input is a text node or an
 * attribute value, escaped when written; control characters are shown as escapes
 * ({@link PageText}). The page opens with the verdict in one line and a summary per scenario and
 * family, then what changed since the previous run, the findings by severity (each leak with a
 * picture of its witness's path through the rules), the lab's measurements and the history.
 */
public final class HtmlReport implements ReportWriter {
  private static final String STYLESHEET = stylesheet();

  @Override
  public String write(CheckReport report) {
    return page(report, Optional.empty(), Optional.empty(), List.of());
  }

  /**
   * The page of one run: the audit, and when {@code ksaudit report} gives them, the lab run of
   * the same rules, the changes since the previous run and the runs kept in the history.
   */
  public String page(CheckReport check, Optional<ProbeReport> lab, Optional<RunChanges> changes, List<RunSummary> history) {
    Document doc = Document.createShell("");
    // SVG's attribute names are case-sensitive (viewBox)
    doc.parser(Parser.htmlParser().settings(ParseSettings.preserveCase));
    doc.outputSettings().charset(StandardCharsets.UTF_8).escapeMode(Entities.EscapeMode.base).indentAmount(1).outline(false);
    doc.selectFirst("html").attr("lang", "en");
    Element head = doc.head();
    head.appendElement("meta").attr("charset", "utf-8");
    head.appendElement("meta").attr("name", "viewport").attr("content", "width=device-width, initial-scale=1");
    head.appendElement("meta").attr("name", "color-scheme").attr("content", "light dark");
    // nothing on the page may be fetched or run, whatever a text of the input tries
    head.appendElement("meta").attr("http-equiv", "Content-Security-Policy")
        .attr("content", "default-src 'none'; style-src 'unsafe-inline'");
    PageText.add(head, "title", "ksaudit: " + String.join(", ", check.names()));
    head.appendElement("style").appendChild(new DataNode(STYLESHEET));

    Element body = doc.body();
    Element header = body.appendElement("header");
    PageText.add(header, "h1", "ksaudit report");
    Element files = PageText.add(header, "p", "muted", "ksaudit " + check.version() + " on ");
    for (int i = 0; i < check.inputs().size(); i++) {
      CheckReport.Input in = check.inputs().get(i);
      if (i > 0) files.appendText(", ");
      PageText.add(files, "code", in.name());
      PageText.append(files, " (" + in.family().label() + ")");
    }
    PageVerdict verdict = PageVerdict.of(check, lab);
    PageText.add(header, "p", "verdict", PageVerdict.line(check, lab)).addClass(verdict.cssClass).attr("id", "verdict");

    Element summary = section(body, "summary", "Summary");
    SummaryTable.write(summary, check, lab);
    check.tunnels().ifPresent(t -> t.describe().forEach(l -> PageText.add(summary, "p", "muted", l)));

    changes.ifPresent(c -> changes(section(body, "changes", "What changed since " + HistoryChart.when(c.previousRun())), c));
    diagnostics(body, check);
    if (!check.refused()) findings(body, check);
    lab.ifPresent(r -> LabMatrix.write(section(body, "lab", "The lab: every probe in every scenario"), r));
    if (!history.isEmpty()) HistoryChart.draw(section(body, "history", "History: findings and measured leaks per run"), history);

    PageText.add(body.appendElement("footer"), "p", "Written by ksaudit " + check.version()
        + ". This page fetches nothing and runs no script; ksaudit explain ID tells more about a finding.");
    return doc.outerHtml() + "\n";
  }

  private static Element section(Element body, String id, String title) {
    Element s = body.appendElement("section").attr("id", id);
    PageText.add(s, "h2", title);
    return s;
  }

  private static void changes(Element section, RunChanges c) {
    if (c.items().isEmpty()) {
      PageText.add(section, "p", "nothing changed");
      return;
    }
    Element ul = section.appendElement("ul").addClass("changes");
    for (ChangeItem item : c.items()) {
      Element li = ul.appendElement("li").addClass(item.kind().label());
      PageText.add(li, "span", "tag", item.kind().label().replace('-', ' '));
      PageText.append(li, item.text());
      if (item.file().isPresent()) {
        li.appendText(" ");
        PageText.add(li, "code", item.file().get() + (item.line().isPresent() ? ":" + item.line().getAsInt() : ""));
      }
    }
    if (c.verdictChanged()) PageText.add(section, "p", "muted", "the verdict changed since that run");
  }

  /** Load errors and warnings, and the audit's notes about its own limits, as the text report prints them. */
  private static void diagnostics(Element body, CheckReport check) {
    if (check.diagnostics().isEmpty() && check.notes().isEmpty()) return;
    Element s = section(body, "diagnostics", check.refused() ? "What iptables-restore would refuse" : "Load warnings and notes");
    for (Diagnostic d : check.diagnostics()) block(s, d.severity(), DiagnosticPrinter.render(d));
    for (Diagnostic d : check.notes()) block(s, d.severity(), DiagnosticPrinter.render(d));
  }

  private static void block(Element parent, Severity severity, String text) {
    parent.appendElement("pre").addClass(severity.label()).appendText(TerminalText.text(text));
  }

  private static void findings(Element body, CheckReport check) {
    Element s = section(body, "findings", "Findings");
    TracePicture pictures = new TracePicture(check.sources());
    int n = 0;
    for (Severity sev : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO)) {
      List<Finding> here = check.findings().stream().filter(f -> f.reported() && f.severity() == sev).toList();
      if (here.isEmpty()) continue;
      PageText.add(s, "h3", heading(sev, here.size()));
      for (Finding f : here) finding(s, f, check.sources(), pictures, ++n);
    }
    if (n == 0) PageText.add(s, "p", "no findings reported");
    List<Finding> suppressed = check.findings().stream().filter(f -> !f.reported()).toList();
    if (suppressed.isEmpty()) return;
    Element details = s.appendElement("details");
    PageText.add(details, "summary", suppressed.size() + " suppressed: what they let out still leaves outside the tunnel");
    for (Finding f : suppressed) finding(details, f, check.sources(), pictures, ++n);
  }

  private static String heading(Severity s, int n) {
    return switch (s) {
      case ERROR -> n + (n == 1 ? " error" : " errors");
      case WARNING -> n + (n == 1 ? " warning" : " warnings");
      case INFO -> n + " info";
    };
  }

  private static void finding(Element parent, Finding f, Sources sources, TracePicture pictures, int n) {
    Element a = parent.appendElement("article").addClass("finding").addClass(f.severity().label()).attr("id", "finding-" + n);
    PageText.add(a, "h4", f.severity().label() + " · " + f.category().jsonName() + " · " + f.id() + " · " + f.certainty().label());
    String where = f.location().map(l -> l.pos().toString()).orElse(f.file().isEmpty() ? "no file: a ruleset that was not given" : f.file());
    PageText.add(a, "p", "mono", where);
    PageText.add(a, "p", "message", f.message());
    f.location().ifPresent(l -> a.appendElement("pre").addClass("rule").appendText(TerminalText.text(ruleLines(l, sources))));
    if (f.locations().size() > 1) {
      List<String> lines = f.locations().subList(1, f.locations().size()).stream().map(l -> Integer.toString(l.pos().line())).toList();
      PageText.add(a, "p", "and " + lines.size() + " more: line" + (lines.size() == 1 ? " " : "s ") + String.join(", ", lines));
    }
    Element dl = a.appendElement("dl");
    if (!f.traffic().isEmpty()) {
      PageText.add(dl, "dt", "lets out");
      Element ul = dl.appendElement("dd").appendElement("ul");
      for (Traffic t : f.traffic()) PageText.add(ul, "li", t.kind().jsonName() + ": " + t.text());
    }
    f.witness().ifPresent(w -> {
      PageText.add(dl, "dt", "witness");
      PageText.add(dl.appendElement("dd"), "code", w.describe());
    });
    if (!f.trace().isEmpty()) {
      PageText.add(dl, "dt", "trace");
      Element ol = dl.appendElement("dd").appendElement("ol");
      for (TraceStep t : f.trace()) PageText.add(ol.appendElement("li"), "code", t.describe());
    }
    f.suppressed().ifPresent(x -> {
      PageText.add(dl, "dt", "suppressed by");
      PageText.add(dl, "dd", x.describe());
    });
    PageText.add(dl, "dt", "explain");
    PageText.add(dl.appendElement("dd"), "code", "ksaudit explain " + f.id());
    f.witness().ifPresent(w -> {
      Element figure = a.appendElement("figure");
      pictures.draw(figure, f, w);
      PageText.add(figure, "figcaption", "The witness packet's path through the rules: each box a chain it crossed, "
          + "the rules of the trace it matched, and the rule that let it out highlighted.");
    });
  }

  /** The rule as written with a caret line under the part that lets the packets out, as the text report shows it. */
  private static String ruleLines(Location l, Sources sources) {
    String line = l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
    int length = l.sourceLine().isEmpty() ? TextReport.wordLength(line, l.pos().column()) : l.length();
    StringBuilder sb = new StringBuilder();
    DiagnosticPrinter.appendSourceAndCaret(sb, line, l.pos().column(), length);
    return sb.toString().stripTrailing();
  }

  private static String stylesheet() {
    try (InputStream in = HtmlReport.class.getResourceAsStream("page.css")) {
      if (in == null) throw new IllegalStateException("page.css is missing from the jar");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
