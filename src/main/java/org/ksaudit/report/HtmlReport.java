package org.ksaudit.report;

import java.util.List;
import java.util.Optional;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ScenarioResult;

/**
 * The report as one self-contained HTML page, built with jsoup's DOM so that every text of the
 * input is escaped by construction (and its control characters shown as {@code \x07}): what
 * changed since the previous run, the counts, the findings with their rule, witness and trace,
 * the lab's scenarios, and the history of runs.
 */
public final class HtmlReport {
  /** The page of a run: the audit, the lab's measurements, the changes since the previous run and the runs so far, oldest first. */
  public String page(CheckReport check, Optional<ProbeReport> lab, Optional<RunChanges> changes, List<RunSummary> history) {
    Document doc = Document.createShell("");
    doc.title("ksaudit report");
    doc.head().prependElement("meta").attr("charset", "utf-8");
    Element body = doc.body();
    body.appendElement("h1").text("ksaudit report");
    body.appendElement("p").attr("id", "verdict").text(counts(check, lab));
    changes(body, changes);
    findings(body, check);
    lab.ifPresent(r -> lab(body, r));
    history(body, history);
    return doc.outerHtml() + "\n";
  }

  private static String counts(CheckReport check, Optional<ProbeReport> lab) {
    String audit;
    if (check.refused()) {
      audit = "iptables-restore would refuse the rules: nothing was audited";
    } else {
      long reported = check.findings().stream().filter(Finding::reported).count();
      audit = reported + (reported == 1 ? " finding" : " findings") + " reported (" + count(check, Severity.ERROR) + " error, "
          + count(check, Severity.WARNING) + " warning, " + count(check, Severity.INFO) + " info), "
          + (check.findings().size() - reported) + " suppressed";
    }
    return audit + lab.map(r -> "; the lab measured " + r.leaks() + (r.leaks() == 1 ? " leak" : " leaks")
        + (r.baselineWorks() ? "" : "; the VPN does not work through the rules in the lab")).orElse("");
  }

  private static long count(CheckReport check, Severity s) {
    return check.findings().stream().filter(f -> f.reported() && f.severity() == s).count();
  }

  private static void changes(Element body, Optional<RunChanges> changes) {
    Element section = body.appendElement("section").attr("id", "changes");
    section.appendElement("h2").text("What changed");
    if (changes.isEmpty()) {
      section.appendElement("p").text("The first run: nothing to compare with.");
      return;
    }
    RunChanges c = changes.get();
    section.appendElement("p").text("Since the run of " + c.previousRun() + (c.verdictChanged() ? "; the verdict changed." : "."));
    if (c.items().isEmpty()) section.appendElement("p").text("Nothing changed.");
    Element list = section.appendElement("ul");
    for (ChangeItem i : c.items()) list.appendElement("li").attr("class", i.kind().label()).text(safe(i.text()));
  }

  private static void findings(Element body, CheckReport check) {
    Element section = body.appendElement("section").attr("id", "findings");
    section.appendElement("h2").text("Findings");
    Element list = section.appendElement("ul");
    for (Finding f : check.findings()) {
      Element item = list.appendElement("li").attr("class", f.severity().label());
      String where = f.location().map(l -> l.pos().toString()).orElse(f.file());
      item.appendElement("p").text(safe(where + ": " + f.id() + " " + f.category().jsonName() + " (" + f.severity().label()
          + (f.reported() ? "" : ", suppressed") + "): " + f.message()));
      f.location().ifPresent(l -> item.appendElement("pre").text(safe(l.sourceLine().isEmpty()
          ? check.sources().line(l.pos().file(), l.pos().line()) : l.sourceLine())));
      f.witness().ifPresent(w -> item.appendElement("p").text(safe("witness: " + w.describe())));
      for (var step : f.trace()) item.appendElement("p").text(safe("trace: " + step.describe()));
    }
  }

  private static void lab(Element body, ProbeReport r) {
    Element section = body.appendElement("section").attr("id", "lab");
    section.appendElement("h2").text("The lab");
    Element list = section.appendElement("ul");
    for (ScenarioResult s : r.scenarios())
      list.appendElement("li").text(safe(s.scenario().label() + ": " + s.leaks() + (s.leaks() == 1 ? " leak" : " leaks")));
  }

  private static void history(Element body, List<RunSummary> history) {
    Element section = body.appendElement("section").attr("id", "history");
    section.appendElement("h2").text("History");
    Element table = section.appendElement("table");
    Element head = table.appendElement("tr");
    head.appendElement("th").text("run");
    head.appendElement("th").text("findings");
    head.appendElement("th").text("measured leaks");
    for (RunSummary s : history) {
      Element row = table.appendElement("tr");
      row.appendElement("td").text(s.at().toString());
      row.appendElement("td").text(Integer.toString(s.findings()));
      row.appendElement("td").text(Integer.toString(s.measuredLeaks()));
    }
  }

  /** A text of the input with its control characters shown, as on a terminal. */
  private static String safe(String text) {
    return TerminalText.line(text);
  }
}
