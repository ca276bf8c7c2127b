package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

/**
 * What every HTML page of ksaudit must be, checked on the page as a browser's parser reads it
 * (jsoup): one verdict line; no script, no event handler, nothing fetched (no element that loads
 * a resource, no URL but the SVG namespace in an attribute, no {@code url(} or {@code @import} in
 * a stylesheet) and a Content-Security-Policy that allows no fetch; styles for print and dark
 * mode; no raw control character; and a picture with a non-empty route for every finding that
 * has a witness.
 */
final class HtmlPageRules {
  private static final Pattern URL = Pattern.compile("(?i)(https?:|ftp:|file:|data:|javascript:|//)");
  private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

  private HtmlPageRules() {}

  static Document check(String html) {
    Document doc = Jsoup.parse(html);
    assertEquals(1, doc.select(".verdict#verdict").size(), "one verdict line");
    assertTrue(doc.select("script, link, img, iframe, object, embed, image, use, audio, video, source, base, form").isEmpty(),
        "no script and no element that loads anything");
    for (Element e : doc.getAllElements()) {
      for (Attribute a : e.attributes()) {
        assertFalse(a.getKey().toLowerCase(java.util.Locale.ROOT).startsWith("on"), "event handler " + a + " on <" + e.tagName() + ">");
        if (a.getKey().equals("xmlns") && a.getValue().equals(SVG_NAMESPACE)) continue;
        // the policy's script hashes (base64, which may hold "//") are checked below as the policy
        if (a.getKey().equals("content") && e.attr("http-equiv").equals("Content-Security-Policy")) continue;
        assertFalse(URL.matcher(a.getValue()).find() && List.of("href", "src", "xlink:href", "action", "srcset", "style",
            "content").contains(a.getKey()), "a URL in " + a + " on <" + e.tagName() + ">");
      }
    }
    Element policy = doc.selectFirst("meta[http-equiv=Content-Security-Policy]");
    // the browser test's copies add the hashes of their own scripts, nothing else
    assertTrue(policy != null && policy.attr("content").matches(
        "default-src 'none'; style-src 'unsafe-inline'(; script-src( 'sha256-[A-Za-z0-9+/=]{44}')+)?"),
        "a policy that lets the page fetch nothing: " + (policy == null ? "none" : policy.attr("content")));
    for (Element style : doc.select("style")) {
      assertFalse(style.data().contains("url(") || style.data().contains("@import"), "the stylesheet fetches nothing");
    }
    String css = doc.select("style").html();
    assertTrue(css.contains("@media print") && css.contains("@media (prefers-color-scheme: dark)"), "print and dark-mode styles");
    assertTrue(html.chars().noneMatch(c -> c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c == 0x202e),
        "no raw control or bidi character");
    for (Element finding : doc.select("article.finding")) {
      boolean leak = finding.select("dt").stream().anyMatch(dt -> dt.text().equals("witness"));
      Element route = finding.selectFirst("svg.trace path.route");
      assertEquals(leak, route != null, "a picture exactly for a finding with a witness: " + finding.id());
      if (leak) assertTrue(route.attr("d").matches("M\\d+ \\d+( [VH]\\d+)+"), "a route: " + route.attr("d"));
    }
    return doc;
  }
}
