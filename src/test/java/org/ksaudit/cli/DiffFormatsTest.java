package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.testsupport.SarifSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@code ksaudit diff} as SARIF and JUnit. The expectations are each fixture's inline
 * {@code # expect-diff: CHANGE SCENARIO LINE} lines (the line of the rule that lets the packets
 * out, in NEW for let-out and in OLD for stopped) and the formats' rules: SARIF follows the
 * official schema and every result is at a line of NEW; JUnit has one failure per packet class
 * newly let out.
 */
class DiffFormatsTest {
  private static final String DIR = "testdata/diff/";
  private static final Pattern EXPECT = Pattern.compile("^# expect-diff: (let-out|stopped) (\\S+) (\\d+)$", Pattern.MULTILINE);

  record Expected(String change, String scenario, int line) {}

  private static List<Expected> expected(String file) throws IOException {
    List<Expected> out = new ArrayList<>();
    Matcher m = EXPECT.matcher(Files.readString(Path.of(DIR + file)));
    while (m.find()) out.add(new Expected(m.group(1), m.group(2), Integer.parseInt(m.group(3))));
    return out;
  }

  @Test
  void sarifPutsEveryNewLeakAtTheNewRuleThatLetsItOut() throws IOException {
    CliRun r = CliRun.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4", "--format", "sarif");
    assertEquals(1, r.code(), r.err());
    JsonNode run = SarifSchema.parse(r.out()).get("runs").get(0);
    assertEquals("ksaudit/diff/ipv4/", run.get("automationDetails").get("id").textValue());
    List<String> got = new ArrayList<>();
    for (JsonNode res : run.get("results")) {
      JsonNode loc = res.get("locations").get(0).get("physicalLocation");
      assertEquals(DIR + "lan-exemption.v4", loc.get("artifactLocation").get("uri").textValue());
      assertEquals("error", res.get("level").textValue());
      // the region is the rule's target word, end column exclusive
      JsonNode region = loc.get("region");
      assertTrue(region.get("endColumn").intValue() > region.get("startColumn").intValue(), region.toString());
      got.add(res.get("ruleId").textValue() + " " + res.get("properties").get("scenario").textValue() + " "
          + region.get("startLine").intValue());
    }
    List<String> want = expected("lan-exemption.v4").stream().map(e -> "newly-" + e.change() + " " + e.scenario() + " " + e.line())
        .toList();
    assertEquals(want, got);
  }

  @Test
  void sarifPutsWhatNewStopsAtNewsLinesWithOldsRuleRelated() throws IOException {
    CliRun r = CliRun.of("diff", DIR + "broad-endpoint.v4", DIR + "tightened-endpoint.v4", "--format", "sarif");
    assertEquals(0, r.code(), r.err());
    JsonNode results = SarifSchema.parse(r.out()).get("runs").get(0).get("results");
    assertEquals(expected("tightened-endpoint.v4").size(), results.size(), results.toString());
    for (JsonNode res : results) {
      assertEquals("newly-stopped", res.get("ruleId").textValue());
      assertEquals("note", res.get("level").textValue());
      assertEquals(DIR + "tightened-endpoint.v4",
          res.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").textValue());
      JsonNode old = res.get("relatedLocations").get(0).get("physicalLocation");
      assertEquals(DIR + "broad-endpoint.v4", old.get("artifactLocation").get("uri").textValue());
      assertEquals(expected("tightened-endpoint.v4").get(0).line(), old.get("region").get("startLine").intValue());
    }
  }

  @Test
  void sarifFingerprintsSurviveAnUnrelatedLineAbove(@TempDir Path dir) throws IOException {
    Path moved = dir.resolve("lan-exemption.v4");
    Files.writeString(moved, "# an unrelated comment added on top\n" + Files.readString(Path.of(DIR + "lan-exemption.v4")));
    String a = fingerprints(CliRun.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4", "--format", "sarif").out());
    String b = fingerprints(CliRun.of("diff", DIR + "base.v4", moved.toString(), "--format", "sarif").out());
    assertEquals(a, b);
  }

  private static String fingerprints(String sarif) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode res : SarifSchema.parse(sarif).get("runs").get(0).get("results")) sb.append(res.get("partialFingerprints")).append('\n');
    return sb.toString();
  }

  @Test
  void junitFailsOnceForEachPacketClassNewlyLetOut(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("diff.xml");
    CliRun r = CliRun.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4", "--format", "junit", "--output", "sarif=" + file);
    assertEquals(1, r.code(), r.err());
    Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(r.out().getBytes(StandardCharsets.UTF_8)));
    Element suites = doc.getDocumentElement();
    long letOut = expected("lan-exemption.v4").stream().filter(e -> e.change().equals("let-out")).count();
    assertEquals(Long.toString(letOut), suites.getAttribute("failures"));
    NodeList failures = doc.getElementsByTagName("failure");
    assertEquals(letOut, failures.getLength());
    for (int i = 0; i < failures.getLength(); i++) {
      String body = failures.item(i).getTextContent();
      assertTrue(body.contains("NEW: " + DIR + "lan-exemption.v4:"), body);
    }
    // every scenario is a test case: the five scenarios pass or fail, none is left out
    assertTrue(Integer.parseInt(suites.getAttribute("tests")) >= 5, suites.getAttribute("tests"));
    SarifSchema.parse(Files.readString(file));
  }

  @Test
  void nothingChangedIsAllPassesAndNoResults() {
    CliRun junit = CliRun.of("diff", DIR + "base.v4", DIR + "reordered.v4", "--format", "junit");
    assertEquals(0, junit.code(), junit.err());
    assertTrue(junit.out().contains("failures=\"0\"") && !junit.out().contains("<failure"), junit.out());
    CliRun sarif = CliRun.of("diff", DIR + "base.v4", DIR + "reordered.v4", "--format", "sarif");
    assertEquals(0, SarifSchema.parse(sarif.out()).get("runs").get(0).get("results").size());
  }

  @Test
  void htmlIsRefusedBeforeAnythingIsRead() {
    for (List<String> asked : List.of(List.of("--format", "html"), List.of("--output", "html=never-written.html"))) {
      List<String> args = new ArrayList<>(List.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4"));
      args.addAll(asked);
      CliRun r = CliRun.of(args.toArray(String[]::new));
      assertEquals(2, r.code(), r.both());
      assertTrue(r.err().contains("diff writes text, json, sarif or junit, not html"), r.err());
    }
    assertTrue(!Files.exists(Path.of("never-written.html")));
  }
}
