package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.testsupport.JunitXml;
import org.ksaudit.testsupport.ReportSchema;
import org.ksaudit.testsupport.SarifSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The SARIF, JUnit and text formats of {@code check} against what each format promises: the
 * expectations come from the input files (a region's text, a line count) and from the formats'
 * rules, never from an earlier run.
 */
class ReportFormatsTest {
  private static final String ARTICLE = "testdata/seed/article.v4";
  private static final String ARTICLE_V6 = "testdata/seed/article.v6";
  /** Two VPN allowances of the same shape: one finding with two locations. */
  private static final String TWO_SERVERS = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\n"
      + "-A OUTPUT -d 198.51.100.0/24 -p udp -m udp --dport 1194 -j ACCEPT\n"
      + "-A OUTPUT -d 203.0.113.0/24 -p udp -m udp --dport 1194 -j ACCEPT\nCOMMIT\n";

  @TempDir Path dir;

  /** The article pair, checked once: standard output in text, the other formats through --output. */
  private static CliRun pair;
  private static String pairSarif;
  private static String pairJunit;

  @BeforeAll
  static void checkThePairOnce(@TempDir Path tmp) throws IOException {
    Path s = tmp.resolve("pair.sarif");
    Path j = tmp.resolve("pair.xml");
    pair = CliRun.of("check", ARTICLE, ARTICLE_V6, "--output", "sarif=" + s, "--output", "junit=" + j);
    assertEquals(1, pair.code(), pair.both());
    pairSarif = Files.readString(s, StandardCharsets.UTF_8);
    pairJunit = Files.readString(j, StandardCharsets.UTF_8);
  }

  private static JsonNode sarif(String... args) {
    List<String> all = new ArrayList<>(List.of("check"));
    all.addAll(List.of(args));
    all.addAll(List.of("--format", "sarif"));
    CliRun r = CliRun.of(all.toArray(String[]::new));
    assertTrue(r.code() == 0 || r.code() == 1, r.both());
    return SarifSchema.parse(r.out());
  }

  @Test
  void aRegionCoversThePartOfTheRuleThatLetsThePacketsOutWithAnExclusiveEnd() throws IOException {
    JsonNode run = SarifSchema.parse(pairSarif).get("runs").get(0);
    List<String> lines = Files.readAllLines(Path.of(ARTICLE));
    boolean seen = false;
    for (JsonNode result : run.get("results")) {
      if (!result.get("ruleId").textValue().equals("KS102")) continue;
      JsonNode region = result.get("locations").get(0).get("physicalLocation").get("region");
      String line = lines.get(region.get("startLine").intValue() - 1);
      assertEquals(region.get("startLine"), region.get("endLine"));
      // line 14 of the article is "-A OUTPUT -d 10.45.16.1 -j ACCEPT": the destination lets DNS out
      assertEquals("-d 10.45.16.1", line.substring(region.get("startColumn").intValue() - 1, region.get("endColumn").intValue() - 1));
      seen = true;
    }
    assertTrue(seen, "the article's DNS leak (KS102) is a result");
  }

  @Test
  void everyResultHasOneLocationARuleAndALevel() {
    JsonNode log = SarifSchema.parse(pairSarif);
    for (JsonNode run : log.get("runs")) {
      Set<String> rules = new HashSet<>();
      for (JsonNode rule : run.get("tool").get("driver").get("rules")) {
        rules.add(rule.get("id").textValue());
        assertTrue(rule.get("shortDescription").get("text").textValue().length() <= 1024);
        assertTrue(rule.get("fullDescription").get("text").textValue().length() <= 1024);
        double severity = Double.parseDouble(rule.get("properties").get("security-severity").textValue());
        String name = rule.get("name").textValue();
        if (Set.of("dns-leak", "direct-leak", "ipv6-leak").contains(name)) assertTrue(severity >= 8, name + " " + severity);
        assertTrue(severity >= 0.1 && severity <= 10, name + " " + severity);
      }
      assertEquals(20, rules.size(), "one rule per finding ID ksaudit rules lists, KS101 to KS120");
      for (JsonNode result : run.get("results")) {
        assertTrue(rules.contains(result.get("ruleId").textValue()));
        assertEquals(1, result.get("locations").size());
        assertFalse(result.get("message").get("text").textValue().isBlank());
        assertTrue(Set.of("error", "warning", "note").contains(result.get("level").textValue()));
        assertTrue(result.get("properties").has("witness"));
        assertTrue(result.get("codeFlows").get(0).get("threadFlows").get(0).get("locations").size() > 0);
      }
    }
  }

  @Test
  void theV4RunAndTheV6RunAreSeparateAnalyses() {
    JsonNode runs = SarifSchema.parse(pairSarif).get("runs");
    assertEquals(2, runs.size());
    assertEquals("ksaudit/check/ipv4/", runs.get(0).get("automationDetails").get("id").textValue());
    assertEquals("ksaudit/check/ipv6/", runs.get(1).get("automationDetails").get("id").textValue());
  }

  @Test
  void fingerprintsStayWhenUnrelatedLinesMove() throws IOException {
    String article = Files.readString(Path.of(ARTICLE));
    Path moved = dir.resolve("article.v4");
    // three comment lines and an INPUT rule above the rules of the findings: every finding moves down four lines
    Files.writeString(moved, article.replaceFirst("\\*filter\n", "# moved\n# by\n# comments\n*filter\n")
        .replaceFirst("(-P OUTPUT DROP\n)", "$1-A INPUT -i lo -j ACCEPT\n"));
    assertEquals(article.lines().count() + 4, Files.readString(moved).lines().count());
    Path copy = dir.resolve("copy").resolve("article.v4");
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, article);
    JsonNode before = sarif(copy.toString(), "--sarif-base", dir.resolve("copy").toString()).get("runs").get(0).get("results");
    JsonNode after = sarif(moved.toString(), "--sarif-base", dir.toString()).get("runs").get(0).get("results");
    assertEquals(before.size(), after.size());
    assertTrue(before.size() >= 3, "the article has at least three findings");
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).get("partialFingerprints"), after.get(i).get("partialFingerprints"));
      int was = before.get(i).get("locations").get(0).get("physicalLocation").get("region").get("startLine").intValue();
      // the finding about the missing IPv6 ruleset points at the start of the file, wherever the rules are
      assertEquals(was == 1 ? 1 : was + 4,
          after.get(i).get("locations").get(0).get("physicalLocation").get("region").get("startLine").intValue());
      assertEquals("article.v4", after.get(i).get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").textValue());
    }
  }

  @Test
  void aGroupedFindingHasItsOtherRulesInRelatedLocations() throws IOException {
    Path f = Files.writeString(dir.resolve("two-servers.v4"), TWO_SERVERS);
    CliRun text = CliRun.of("check", f.toString());
    assertTrue(text.out().contains("and 1 more: line 8"), text.out());
    JsonNode results = sarif(f.toString()).get("runs").get(0).get("results");
    boolean seen = false;
    for (JsonNode r : results) {
      if (!r.has("relatedLocations")) continue;
      assertEquals(7, r.get("locations").get(0).get("physicalLocation").get("region").get("startLine").intValue());
      assertEquals(8, r.get("relatedLocations").get(0).get("physicalLocation").get("region").get("startLine").intValue());
      seen = true;
    }
    assertTrue(seen, results.toString());
  }

  @Test
  void theOfficialSchemaRefusesWhatIsNotSarif() {
    assertThrows(AssertionError.class, () -> SarifSchema.parse("{\"version\":\"2.0.0\",\"runs\":[]}"));
  }

  @Test
  void junitHasASuitePerFileATestCasePerCheckAndAFailurePerFinding() {
    Document doc = JunitXml.parse(pairJunit);
    NodeList suites = doc.getElementsByTagName("testsuite");
    assertEquals(2, suites.getLength());
    Element v4 = (Element) suites.item(0);
    assertEquals(ARTICLE, v4.getAttribute("name"));
    // the README's three leaks of the article: LAN (line 12), DNS (14), the VPN port (16); the other 17 IDs of KS101-KS120 pass; one load test case
    assertEquals(3, v4.getElementsByTagName("failure").getLength());
    assertEquals(1 + 3 + 17, v4.getElementsByTagName("testcase").getLength());
    assertEquals("21", v4.getAttribute("tests"));
    Element v6 = (Element) suites.item(1);
    assertEquals(0, v6.getElementsByTagName("failure").getLength());
    assertEquals(1 + 20, v6.getElementsByTagName("testcase").getLength());
    String body = v4.getElementsByTagName("failure").item(0).getTextContent();
    assertTrue(body.contains("witness: ") && body.contains("trace: ") && body.contains("-A OUTPUT"), body);
  }

  @Test
  void junitSkipsTheChecksOfRulesIptablesRestoreRefuses() {
    CliRun r = CliRun.of("check", "testdata/seed/article-verbatim.v4", "--format", "junit");
    assertEquals(2, r.code(), r.both());
    Element suite = (Element) JunitXml.parse(r.out()).getElementsByTagName("testsuite").item(0);
    // the README names the verbatim article's two mistakes: --cstate (line 7) and -A OUTPUT -tun0 (line 10)
    assertEquals(2, suite.getElementsByTagName("failure").getLength());
    assertEquals(20, suite.getElementsByTagName("skipped").getLength());
  }

  @Test
  void outputWritesEveryFormatAskedForBesideStandardOutput() throws IOException {
    Path jsonFile = dir.resolve("out.json");
    CliRun r = CliRun.of("check", ARTICLE, ARTICLE_V6, "--format", "junit", "--output", "JSON=" + jsonFile);
    assertEquals(1, r.code(), r.both());
    assertEquals(pairJunit, r.out(), "the same report on standard output as in an --output file");
    assertTrue(pair.out().contains("[KS102, definite]"), "standard output keeps the text report beside --output files");
    assertEquals(3, ReportSchema.parse(Files.readString(jsonFile, StandardCharsets.UTF_8)).get("findings").size());
  }

  @Test
  void anOutputFileThatCannotBeWrittenIsExit3() {
    CliRun r = CliRun.of("check", ARTICLE, "--output", "json=" + dir.resolve("no/such/dir/out.json"));
    assertEquals(3, r.code(), r.both());
    assertTrue(r.err().contains("cannot write the json report to"), r.err());
    CliRun bad = CliRun.of("check", ARTICLE, "--output", "yaml=x");
    assertEquals(2, bad.code(), bad.both());
  }

  @Test
  void colourOnlyOnATerminalWithoutNoColorOrWhenAskedFor() {
    String red = "\u001b[1;31merror:";
    assertFalse(CliRun.of("check", ARTICLE).out().contains("\u001b"), "not a terminal");
    assertTrue(CliRun.on(new Streams.Console(true, false), new byte[0], "check", ARTICLE).out().contains(red), "a terminal");
    assertFalse(CliRun.on(new Streams.Console(true, true), new byte[0], "check", ARTICLE).out().contains("\u001b"), "NO_COLOR");
    assertFalse(CliRun.on(new Streams.Console(true, false), new byte[0], "check", ARTICLE, "--color", "never").out().contains("\u001b"));
    assertTrue(CliRun.of("check", ARTICLE, "--color", "always").out().contains(red), "always, even into a pipe");
    assertFalse(CliRun.of("check", ARTICLE, "--color", "always", "--format", "json").out().contains("\u001b"), "JSON is never painted");
  }

  @Test
  void colourLetsNoEscapeSequenceOfTheInputThrough() throws IOException {
    Path f = Files.writeString(dir.resolve("painted.v4"), "*filter\n:OUTPUT ACCEPT [0:0]\n"
        + "-A OUTPUT -m comment --comment \"\u001b[32mno findings\u001b[0m \u001b[2J\" -d 10.45.16.1 -j ACCEPT\nCOMMIT\n");
    CliRun r = CliRun.of("check", f.toString(), "--color", "always");
    assertTrue(r.out().contains("\\x1b[32mno findings"), r.out());
    assertFalse(r.out().contains("\u001b[32m") || r.out().contains("\u001b[2J"), r.out());
  }

  @Test
  void eachFindingEndsWithItsExplainPointerAndEachFileHasASummaryLine() {
    CliRun r = pair;
    assertTrue(r.out().contains("  trace: testdata/seed/article.v4:14 filter/OUTPUT ACCEPT\n  explain: ksaudit explain KS102\n"), r.out());
    assertTrue(r.out().contains("\n" + ARTICLE + ": 3 findings: 3 errors, 0 warnings, 0 info\n" + ARTICLE_V6 + ": no findings\n"), r.out());
    assertNotEquals(-1, r.out().indexOf("explain: ksaudit explain KS105"));
  }
}
