package org.ksaudit.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jsoup.nodes.Element;
import org.ksaudit.check.Category;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.lab.ProbeOutcome;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.ScenarioResult;
import org.ksaudit.model.Family;

/**
 * The page's summary: one row per scenario, one column per address family. The audit's rows are
 * the situations its findings are about (new connections when the tunnel is gone, forwarded
 * ones, connections open when it went down, marked packets, TEE copies, the rules themselves,
 * and with {@code --live} the host), each cell counting the reported findings by severity; the
 * lab's rows are the scenarios it ran, each cell counting the probes that leaked.
 */
final class SummaryTable {
  private SummaryTable() {}

  /** What a finding is about, as a row of the table. */
  private enum Row {
    TUNNEL_GONE("tunnel gone: new connections"),
    FORWARDED("tunnel gone: forwarded connections"),
    OPEN_CONNECTIONS("connections open when the tunnel went down"),
    MARKED_PACKETS("packets with an exempted mark"),
    TEE_COPIES("TEE copies"),
    RULES("the rules themselves"),
    HOST("the host (--live)");

    final String label;

    Row(String label) {
      this.label = label;
    }

    static Row of(Finding f) {
      if (f.category() == Category.FORWARD_LEAK) return FORWARDED;
      return switch (f.kind()) {
        case NEW_CONNECTION -> TUNNEL_GONE;
        case OPEN_CONNECTION -> OPEN_CONNECTIONS;
        case MARKED_PACKET -> MARKED_PACKETS;
        case TEE_COPY -> TEE_COPIES;
        case RULESET -> RULES;
        case HOST -> HOST;
      };
    }
  }

  static void write(Element section, CheckReport check, Optional<ProbeReport> lab) {
    List<Family> families = families(check, lab);
    Element table = section.appendElement("table").addClass("summary");
    Element head = table.appendElement("thead").appendElement("tr");
    PageText.add(head, "th", "scenario");
    for (Family f : families) PageText.add(head, "th", f.label());
    Element body = table.appendElement("tbody");
    Set<Row> shown = EnumSet.range(Row.TUNNEL_GONE, Row.RULES);
    check.findings().stream().filter(Finding::reported).map(Row::of).forEach(shown::add);
    for (Row row : shown) {
      Element tr = body.appendElement("tr");
      PageText.add(tr, "th", "audit: " + row.label);
      for (Family fam : families) {
        List<Finding> here = check.findings().stream()
            .filter(f -> f.reported() && Row.of(f) == row && family(check, f) == fam).toList();
        cell(tr, check.refused() ? "not audited" : counts(here), check.refused() ? "unsent" : severityClass(here));
      }
    }
    lab.ifPresent(r -> {
      for (ScenarioResult s : r.scenarios()) {
        Element tr = body.appendElement("tr");
        PageText.add(tr, "th", "lab: " + s.scenario().label());
        for (Family fam : families) {
          List<ProbeOutcome> probes = s.outcomes().stream().filter(o -> o.probe().family() == fam).toList();
          long leaks = probes.stream().filter(ProbeOutcome::leaked).count();
          long disagreements = probes.stream().filter(ProbeOutcome::disagreement).count();
          String words = leaks + (leaks == 1 ? " leak" : " leaks") + " of " + probes.size() + " probes"
              + (disagreements > 0 ? ", " + disagreements + " ≠ engine" : "");
          cell(tr, words, leaks > 0 ? "leak" : disagreements > 0 ? "disagreement" : "none");
        }
      }
    });
  }

  private static void cell(Element tr, String words, String cssClass) {
    PageText.add(tr, "td", cssClass, words);
  }

  /** The families of the inputs, and of findings and probes about a family no input holds (a missing IPv6 dump). */
  private static List<Family> families(CheckReport check, Optional<ProbeReport> lab) {
    Set<Family> seen = EnumSet.noneOf(Family.class);
    check.inputs().forEach(i -> seen.add(i.family()));
    check.findings().forEach(f -> seen.add(family(check, f)));
    lab.ifPresent(r -> r.scenarios().forEach(s -> s.outcomes().forEach(o -> seen.add(o.probe().family()))));
    return new ArrayList<>(seen);
  }

  /** A finding's family: its witness's, else its file's (a missing IPv6 dump's ipv6-leak is IPv6's). */
  static Family family(CheckReport check, Finding f) {
    if (f.witness().isPresent()) return f.witness().get().family();
    if (f.category() == Category.IPV6_LEAK) return Family.IPV6;
    return check.inputOf(f).map(CheckReport.Input::family).orElse(Family.IPV4);
  }

  private static String counts(List<Finding> findings) {
    if (findings.isEmpty()) return "none";
    List<String> parts = new ArrayList<>();
    for (Severity s : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO)) {
      long n = findings.stream().filter(f -> f.severity() == s).count();
      if (n > 0) parts.add(n + " " + (s == Severity.INFO ? "info" : s.label() + (n == 1 ? "" : "s")));
    }
    return String.join(", ", parts);
  }

  private static String severityClass(List<Finding> findings) {
    if (findings.isEmpty()) return "none";
    return findings.stream().map(Finding::severity).max(Enum::compareTo).orElseThrow().label();
  }
}
