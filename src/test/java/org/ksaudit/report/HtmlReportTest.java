package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.ksaudit.check.Finding;
import org.ksaudit.lab.ProbeReport;

/**
 * The HTML page: hostile text of the rules shown as text, the whole page of a {@code ksaudit
 * report} run (lab, changes, history) against its golden file, and which runs the verdict calls
 * clean. The browser's view of the same pages is {@link HtmlBrowserTest}'s.
 */
class HtmlReportTest {
  static final String MARKUP = "testdata/html/markup-comment.v4";
  private static final Path GOLDEN = Path.of("src/test/resources/golden/html/article-report.html");

  /** The page of the seed article's rules as {@code ksaudit report --lab} gives it: lab run, changes and history. */
  static String articleReportPage() throws Exception {
    CheckReport check = Reports.check("testdata/seed/article.v4", "testdata/seed/article.v6");
    RunChanges changes = new RunChanges(Instant.parse("2026-12-04T03:00:00Z"), true, List.of(
        new ChangeItem(ChangeKind.NEW_FINDING, "dns-leak KS102: DNS to 10.45.16.1 can leave through any interface",
            Optional.of("testdata/seed/article.v4"), OptionalInt.of(14)),
        new ChangeItem(ChangeKind.NEW_LEAK, "tunnel-down: udp 198.51.100.94:1194 out eth0 left in clear", Optional.empty(),
            OptionalInt.empty()),
        new ChangeItem(ChangeKind.FIXED_FINDING, "ipv6-leak KS103: the IPv6 rules are given now", Optional.empty(), OptionalInt.empty()),
        new ChangeItem(ChangeKind.RULE_CHANGED, "added: -A OUTPUT -d 10.45.16.1 -j ACCEPT", Optional.of("testdata/seed/article.v4"),
            OptionalInt.of(14))));
    return new HtmlReport().page(check, Optional.of(Reports.lab()), Optional.of(changes), Reports.history());
  }

  @Test
  void markupAndControlCharactersOfTheRulesShowAsText() throws Exception {
    CheckReport check = Reports.check(MARKUP);
    // the fixture's inline expectations: KS102 at line 16, the rule in chain <i>out</i>; KS103 for the missing IPv6 rules
    assertEquals(List.of("KS103", "KS102"), check.findings().stream().map(Finding::id).toList());
    assertEquals(Optional.of(16), check.findings().get(1).line());
    String html = new HtmlReport().write(check);
    Document doc = HtmlPageRules.check(html);
    assertTrue(doc.select("script, i").isEmpty(), "the comment's script and the chain's <i> are no elements");
    Element dns = doc.select("article.finding").stream().filter(a -> a.selectFirst("h4").text().contains("KS102")).findFirst()
        .orElseThrow();
    String rule = dns.selectFirst("pre.rule").text();
    assertTrue(rule.contains("--comment \"<script>alert(1)</script> bell:\\x07 rlo:\\u202ex\""), rule);
    Element svg = dns.selectFirst("svg.trace");
    assertTrue(svg.select("text").stream().anyMatch(t -> t.text().equals("filter/<i>out</i>")), "the chain's box names it as written");
    assertTrue(svg.select("text").stream().anyMatch(t -> t.text().equals("jumps to <i>out</i>")), svg.outerHtml());
    assertFalse(html.contains("<script>") || html.contains("<i>"), "written escaped");
  }

  @Test
  void thePageOfAReportRunMatchesItsGoldenFile() throws Exception {
    String html = articleReportPage();
    Document doc = HtmlPageRules.check(html);
    assertEquals(4, doc.select("#changes li").size(), "one line per change");
    assertEquals(List.of("new-finding", "new-leak", "fixed-finding", "rule-changed"),
        doc.select("#changes li").stream().map(li -> li.className()).toList());
    ProbeReport lab = Reports.lab();
    Element matrix = doc.selectFirst("#lab table.matrix");
    assertEquals(5, matrix.select("tbody tr").size(), "one row per probe");
    assertEquals(List.of("tunnel", "leak"), cells(matrix, 0), "the DNS probe: through the tunnel, then leaked");
    assertEquals(List.of("blocked", "disagreement"), cells(matrix, 2), "ICMP: blocked; in tunnel-down the engine disagreed");
    assertEquals(lab.leaks(), matrix.select("td.leak").size());
    assertEquals(4, doc.select("#history svg circle.dot-findings").size());
    assertEquals(4, doc.select("#history svg circle.dot-leaks").size());
    assertTrue(doc.selectFirst("#verdict").text().contains("the lab measured 3 leaks and 1 disagreement with the engine"), doc.selectFirst("#verdict").text());
    String actual = html;
    if (Boolean.getBoolean("golden.update")) Files.writeString(GOLDEN, actual);
    assertTrue(Files.exists(GOLDEN), "golden file " + GOLDEN + " is missing: review the page and write it with -Dgolden.update=true");
    assertEquals(Files.readString(GOLDEN), actual, "golden file " + GOLDEN);
  }

  @Test
  void aLeaksPictureFollowsItsJumpsGotosAndReturns() throws Exception {
    CheckReport check = Reports.check("testdata/killswitches/goto-return.v4", "testdata/killswitches/goto-return.v6");
    Document doc = HtmlPageRules.check(new HtmlReport().write(check));
    Element leak = doc.select("article.finding").stream().filter(a -> a.selectFirst("h4").text().contains("KS106")).findFirst()
        .orElseThrow();
    Element svg = leak.selectFirst("svg.trace");
    // the fixture's rules: OUTPUT -j local-out, whose RETURN comes back; OUTPUT -g vpn-out; vpn-out -j vpn-server, which
    // accepts nothing of NTP, then vpn-out's NTP rule at line 21 accepts it on every interface
    assertEquals(List.of("enters filter/OUTPUT", "jumps to local-out", "returns to OUTPUT", "goes to vpn-out"),
        svg.select("text.hop").stream().map(Element::text).toList());
    assertEquals(List.of("filter/OUTPUT", "filter/local-out", "filter/OUTPUT", "filter/vpn-out"),
        svg.select("text.chain-name").stream().map(Element::text).toList());
    List<Integer> boxes = svg.select("rect.chain").stream().map(r -> Integer.parseInt(r.attr("x"))).toList();
    assertTrue(boxes.get(1) > boxes.get(0) && boxes.get(2).equals(boxes.get(0)) && boxes.get(3).equals(boxes.get(0)),
        "the chain jumped to is indented under its caller, the one gone to is not: " + boxes);
    assertEquals(List.of("21: -A vpn-out -p udp -m udp --dport 123 -j ACCEPT", "ACCEPT: lets it out"),
        svg.select("text.decisive-text").stream().map(Element::text).toList(), "the rule that lets it out, highlighted");
    assertEquals(1, svg.select("rect.decisive").size());
    assertEquals(5, svg.select("circle.stop").size(), "one stop per rule of the trace");
    assertEquals("leaves through eth0, outside the tunnel", svg.selectFirst("text.exit-text").text());
  }

  private static List<String> cells(Element matrix, int row) {
    return matrix.select("tbody tr").get(row).select("td").stream().skip(1).map(Element::className).toList();
  }

  @Test
  void onlyARunWithNothingFoundOrMeasuredIsClean() throws Exception {
    CheckReport hardened = Reports.check("testdata/killswitches/hardened-openvpn.v4", "testdata/killswitches/hardened-openvpn.v6");
    assertEquals(List.of(), hardened.findings().stream().map(Finding::id).toList(), "the hardened killswitch: no finding (its fixture)");
    assertEquals(PageVerdict.CLEAN, PageVerdict.of(hardened, Optional.empty()));
    assertEquals(PageVerdict.LEAKS, PageVerdict.of(hardened, Optional.of(Reports.lab())), "a measured leak is a leak");
    CheckReport suppressed = new CheckReport("test", hardened.inputs(), List.of(), List.of(),
        Reports.check("testdata/seed/article.v4").findings().stream()
            .map(f -> f.suppressedBy(new org.ksaudit.check.Suppression(org.ksaudit.check.SuppressionKind.CONFIG, "accepted",
                Optional.empty(), new org.ksaudit.model.SourcePos(".ksauditrc", 1, 1)))).toList(),
        hardened.tunnels(), hardened.sources(), List.of(), hardened.failOn());
    assertEquals(PageVerdict.WARNINGS, PageVerdict.of(suppressed, Optional.empty()), "a suppressed leak still leaks");
    Document doc = HtmlPageRules.check(new HtmlReport().write(suppressed));
    assertEquals("verdict verdict-warnings", doc.selectFirst("#verdict").className());
    assertEquals(suppressed.findings().size(), doc.select("details article.finding").size(), "the suppressed findings, folded");
    assertTrue(doc.select("#findings > article.finding").isEmpty(), "none of them among the reported");
  }
}
