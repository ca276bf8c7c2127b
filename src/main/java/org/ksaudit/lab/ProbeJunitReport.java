package org.ksaudit.lab;

import org.ksaudit.report.JunitDocument;

/**
 * A {@link ProbeReport} as JUnit XML: one {@code testsuite} per scenario, one {@code testcase} per
 * probe in it, failed when the probe leaked in clear or when the engine's prediction disagrees
 * with the kernel; the baseline scenario has one more test case, "the VPN works through the
 * killswitch", failed with its problem when it does not.
 */
public final class ProbeJunitReport {
  private ProbeJunitReport() {}

  public static String write(ProbeReport r) {
    JunitDocument doc = new JunitDocument("ksaudit probe");
    for (ScenarioResult s : r.scenarios()) {
      JunitDocument.Suite suite = doc.suite(s.scenario().label(), "ksaudit.probe." + s.scenario().label());
      if (s.scenario() == Scenario.BASELINE) {
        String works = "the VPN works through the killswitch";
        if (r.baselineWorks()) suite.pass(works);
        else suite.fail(works, new JunitDocument.Failure("baseline broken", "baseline",
            r.baselineProblem().orElse("the tunnel did not carry DNS and the web")));
      }
      for (ProbeOutcome o : s.outcomes()) {
        ScenarioProbe p = o.probe();
        String name = p.label() + ": " + p.packet() + " out " + o.oif().orElse("-");
        String measured = ProbeReportPrinter.result(o) + o.routerInterface().map(i -> " (counted in clear at the router on " + i + ")").orElse("")
            + o.predicted().map(v -> "; the engine predicts " + v).orElse("; no prediction")
            + (p.findings().isEmpty() ? "" : "; findings " + String.join(", ", p.findings()));
        if (o.leaked()) suite.fail(name, new JunitDocument.Failure("leak: " + p.packet() + " left in clear", "leak", measured));
        else if (o.disagreement()) suite.fail(name, new JunitDocument.Failure("analysis disagreement: the engine and the kernel differ",
            "analysis-disagreement", measured));
        else suite.pass(name, measured);
      }
    }
    return doc.write();
  }
}
