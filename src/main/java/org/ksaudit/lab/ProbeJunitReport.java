package org.ksaudit.lab;

import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.report.XmlDocument;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A {@link ProbeReport} as JUnit XML: one {@code testsuite} per scenario, one {@code testcase} per
 * probe in it, failed when the probe leaked in clear or when the engine's prediction disagrees
 * with the kernel; the baseline scenario has one more test case, "the VPN works through the
 * killswitch", failed with its problem when it does not.
 */
public final class ProbeJunitReport {
  private ProbeJunitReport() {}

  public static String write(ProbeReport r) {
    Document doc = XmlDocument.create();
    Element suites = doc.createElement("testsuites");
    suites.setAttribute("name", "ksaudit probe");
    doc.appendChild(suites);
    int tests = 0;
    int failures = 0;
    for (ScenarioResult s : r.scenarios()) {
      Element suite = doc.createElement("testsuite");
      suite.setAttribute("name", s.scenario().label());
      String className = "ksaudit.probe." + s.scenario().label();
      int t = 0;
      int f = 0;
      if (s.scenario() == Scenario.BASELINE) {
        Element c = testcase(doc, className, "the VPN works through the killswitch");
        if (!r.baselineWorks()) {
          c.appendChild(failure(doc, "baseline broken", "baseline", r.baselineProblem().orElse("the tunnel did not carry DNS and the web")));
          f++;
        }
        suite.appendChild(c);
        t++;
      }
      for (ProbeOutcome o : s.outcomes()) {
        ScenarioProbe p = o.probe();
        Element c = testcase(doc, className, p.label() + ": " + p.packet() + " out " + o.oif().orElse("-"));
        String measured = ProbeReportPrinter.result(o) + o.routerInterface().map(i -> " (counted in clear at the router on " + i + ")").orElse("")
            + o.predicted().map(v -> "; the engine predicts " + v).orElse("; no prediction")
            + (p.findings().isEmpty() ? "" : "; findings " + String.join(", ", p.findings()));
        if (o.leaked()) {
          c.appendChild(failure(doc, "leak: " + p.packet() + " left in clear", "leak", measured));
          f++;
        } else if (o.disagreement()) {
          c.appendChild(failure(doc, "analysis disagreement: the engine and the kernel differ", "analysis-disagreement", measured));
          f++;
        } else {
          Element out = doc.createElement("system-out");
          out.setTextContent(TerminalText.text(measured));
          c.appendChild(out);
        }
        suite.appendChild(c);
        t++;
      }
      suite.setAttribute("tests", Integer.toString(t));
      suite.setAttribute("failures", Integer.toString(f));
      suite.setAttribute("errors", "0");
      suite.setAttribute("skipped", "0");
      suites.appendChild(suite);
      tests += t;
      failures += f;
    }
    suites.setAttribute("tests", Integer.toString(tests));
    suites.setAttribute("failures", Integer.toString(failures));
    suites.setAttribute("errors", "0");
    suites.setAttribute("skipped", "0");
    return XmlDocument.write(doc);
  }

  private static Element testcase(Document doc, String className, String name) {
    Element c = doc.createElement("testcase");
    c.setAttribute("classname", className);
    c.setAttribute("name", TerminalText.line(name));
    return c;
  }

  private static Element failure(Document doc, String message, String type, String body) {
    Element f = doc.createElement("failure");
    f.setAttribute("message", TerminalText.line(message));
    f.setAttribute("type", type);
    f.setTextContent(TerminalText.text(body));
    return f;
  }
}
