package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The HTML page opened in a real browser (headless Chromium, one launch per page): the page of
 * testdata/html/markup-comment.v4 with a lab run, changes and history renders without a console
 * message, to a screenshot that is not blank; after loading, its DOM holds no script and no
 * element made from the rules' markup, which shows as text, and every leak's picture is drawn
 * with a visible route. The sizes come from a small script added to a copy of the page (the page
 * itself has none), which writes them into the DOM and removes itself. A copy with a deliberate
 * script error and its pictures hidden must fail both checks, so they can fail.
 */
class HtmlBrowserTest {
  private static final Pattern RENDERED = Pattern.compile("svg (\\d+)x(\\d+) route (\\d+)x(\\d+) stroke (\\S+) (\\S+) (\\S+)");
  /** Writes each leak picture's drawn size, its route's box and stroke into the DOM, then leaves no trace of itself. */
  private static final String MEASURE = "for (const svg of document.querySelectorAll('svg.trace')) {"
      + " const r = svg.getBoundingClientRect(); const route = svg.querySelector('path.route');"
      + " const b = route.getBBox(); const s = getComputedStyle(route);"
      + " svg.setAttribute('data-rendered', 'svg ' + Math.round(r.width) + 'x' + Math.round(r.height) + ' route '"
      + " + Math.round(b.width) + 'x' + Math.round(b.height) + ' stroke ' + parseFloat(s.strokeWidth) + ' ' + s.visibility"
      + " + ' ' + (s.stroke === 'none' ? 'none' : 'painted')); }"
      + " document.currentScript.remove();";

  @BeforeAll
  static void chromium() {
    HeadlessChromium.require();
  }

  private static String page() throws Exception {
    CheckReport check = Reports.check(HtmlReportTest.MARKUP);
    RunChanges changes = new RunChanges(Instant.parse("2026-12-04T03:00:00Z"), false, List.of(new ChangeItem(ChangeKind.RULE_CHANGED,
        "added: -A <i>out</i> -p udp --dport 53 -j ACCEPT", Optional.of(HtmlReportTest.MARKUP), OptionalInt.of(16))));
    return new HtmlReport().page(check, Optional.of(Reports.lab()), Optional.of(changes), Reports.history());
  }

  @Test
  void thePageRendersWithoutErrorsAndShowsEveryLeaksPath() throws Exception {
    String html = page();
    HeadlessChromium.Rendered r = HeadlessChromium.render(HeadlessChromium.withScripts(html, MEASURE));
    assertEquals(List.of(), r.console(), "no console message");
    assertTrue(r.colours() > 16, "the screenshot is not blank: " + r.colours() + " colours");
    Document dom = Jsoup.parse(r.dom());
    HtmlPageRules.check(r.dom());
    assertTrue(dom.select("script, i").isEmpty(), "no script after loading, and no element made from the rules' markup");
    assertTrue(dom.text().contains("--comment \"<script>alert(1)</script> bell:\\x07 rlo:\\u202ex\""), "the comment shows as text");
    List<Element> leaks = dom.select("article.finding").stream().filter(a -> a.select("dt").stream().anyMatch(dt -> dt.text().equals("witness")))
        .toList();
    assertEquals(2, leaks.size(), "KS103 and KS102 have witnesses");
    for (Element leak : leaks) {
      System.out.println("HtmlBrowserTest: " + leak.selectFirst("h4").text() + ": " + leak.selectFirst("svg.trace").attr("data-rendered"));
      assertVisible(leak.selectFirst("svg.trace"));
    }
    assertFalse(r.dom().matches("(?s).*(https?:|ftp:)//(?!www\\.w3\\.org/2000/svg).*"), "no URL but the SVG namespace");
  }

  @Test
  void aScriptErrorAndAHiddenPictureFailTheChecks() throws Exception {
    String broken = HeadlessChromium.withScripts(page().replace("</style>", "svg.trace { visibility: hidden; }</style>"), MEASURE,
        "undefinedFunction();");
    HeadlessChromium.Rendered r = HeadlessChromium.render(broken);
    assertEquals(1, r.console().size(), "the deliberate error is caught: " + r.console());
    assertTrue(r.console().get(0).contains("undefinedFunction is not defined"), r.console().get(0));
    Element svg = Jsoup.parse(r.dom()).selectFirst("svg.trace");
    assertTrue(svg.attr("data-rendered").endsWith("hidden painted"), svg.attr("data-rendered"));
    assertFalse(visible(svg), "a hidden picture fails the visibility check");
  }

  private static void assertVisible(Element svg) {
    assertTrue(visible(svg), "the leak's picture and its route are drawn: " + svg.attr("data-rendered"));
  }

  private static boolean visible(Element svg) {
    Matcher m = RENDERED.matcher(svg.attr("data-rendered"));
    if (!m.matches()) return false;
    int width = Integer.parseInt(m.group(1));
    int height = Integer.parseInt(m.group(2));
    int routeHeight = Integer.parseInt(m.group(4));
    double stroke = Double.parseDouble(m.group(5));
    return width > 100 && height > 100 && routeHeight > 50 && stroke > 0 && m.group(6).equals("visible") && m.group(7).equals("painted");
  }
}
