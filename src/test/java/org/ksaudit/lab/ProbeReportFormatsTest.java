package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.JunitXml;
import org.ksaudit.testsupport.ReportSchema;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * probe's JSON and JUnit writers on a report made by hand (no lab, no root): one leak in
 * tunnel-down, one blocked probe, a working baseline. The expectations are the formats' rules.
 */
class ProbeReportFormatsTest {
  private static final LabPlan PLAN = new LabPlan(TunnelKind.OPENVPN, "tun0", LabPlan.PHYSICAL, "203.0.113.10", 1194, "udp",
      "10.8.0.1", LabPlanner.cidr(Family.IPV4, "192.0.2.0", 24), LabPlanner.cidr(Family.IPV6, "2001:db8:1::", 64), List.of(),
      List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), List.of("a note"));

  private static ProbeOutcome outcome(String id, String dst, boolean leaked) {
    ScenarioProbe p = new ScenarioProbe(id, "DNS to the VPN resolver", Family.IPV4, "udp", dst, 53, Optional.empty(),
        Optional.of("eth0"), List.of("KS102"), false, false);
    return new ProbeOutcome(p, Optional.of("eth0"), Optional.empty(), leaked ? Optional.of("lan0") : Optional.empty(), false,
        false, Optional.empty(), Optional.of(leaked ? "ACCEPT" : "DROP"), leaked);
  }

  private static final ProbeReport REPORT = new ProbeReport(PLAN,
      List.of(new ScenarioResult(Scenario.BASELINE, true, List.of(), List.of(outcome("b1", "10.45.16.1", false))),
          new ScenarioResult(Scenario.TUNNEL_DOWN, false, List.of("client killed"),
              List.of(outcome("t1", "10.45.16.1", true), outcome("t2", "198.51.100.53", false)))),
      true, true, Optional.empty(), Optional.of("203.0.113.10"), Optional.empty(), 12.34);

  @Test
  void theJsonFollowsTheSchema() {
    JsonNode doc = ReportSchema.parse(ProbeReportPrinter.json(REPORT, "dev"));
    assertEquals("probe", doc.get("command").textValue());
    assertEquals(1, doc.get("summary").get("leaks").intValue());
    assertEquals(12.3, doc.get("summary").get("seconds").doubleValue());
    assertEquals("leaked", doc.get("scenarios").get(1).get("probes").get(0).get("result").textValue());
  }

  /** Every scenario the lab runs is a name the schema allows: a report with one result of each follows it. */
  @Test
  void everyScenarioFollowsTheSchema() {
    List<ScenarioResult> all = java.util.Arrays.stream(Scenario.values())
        .map(s -> new ScenarioResult(s, false, List.of(), List.of(outcome(s.label(), "10.45.16.1", false)))).toList();
    JsonNode doc = ReportSchema.parse(ProbeReportPrinter.json(new ProbeReport(PLAN, all, true, true, Optional.empty(),
        Optional.of("203.0.113.10"), Optional.empty(), 1.0), "dev"));
    assertEquals(Scenario.values().length, doc.get("scenarios").size());
  }

  @Test
  void junitHasASuitePerScenarioATestCasePerProbeAndAFailurePerLeak() {
    Document doc = JunitXml.parse(ProbeJunitReport.write(REPORT));
    assertEquals(2, doc.getElementsByTagName("testsuite").getLength());
    Element baseline = (Element) doc.getElementsByTagName("testsuite").item(0);
    assertEquals("baseline", baseline.getAttribute("name"));
    // one probe and "the VPN works through the killswitch"
    assertEquals(2, baseline.getElementsByTagName("testcase").getLength());
    assertEquals(0, baseline.getElementsByTagName("failure").getLength());
    Element down = (Element) doc.getElementsByTagName("testsuite").item(1);
    assertEquals(2, down.getElementsByTagName("testcase").getLength());
    assertEquals(1, down.getElementsByTagName("failure").getLength());
    assertEquals("1", doc.getDocumentElement().getAttribute("failures"));
    assertTrue(down.getElementsByTagName("failure").item(0).getTextContent().contains("KS102"));
  }
}
