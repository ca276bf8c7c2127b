package org.ksaudit.report;

import java.util.List;
import java.util.Set;
import org.ksaudit.analysis.LeakScenario;
import org.ksaudit.check.Difference;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.model.Family;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * {@code ksaudit diff} as JUnit XML: one {@code testsuite} per family compared, in it one test
 * case per scenario. A scenario in which NEW lets out nothing OLD stopped passes; otherwise each
 * packet class newly let out is a failed test case of its own (its body as the text report
 * prints the difference). What NEW newly stops passes, with the difference in {@code system-out}.
 */
public final class DiffJunitReport {
  private DiffJunitReport() {}

  public static String write(Set<Family> families, RulesetDiff.Result r, Sources sources) {
    Document doc = XmlDocument.create();
    Element suites = doc.createElement("testsuites");
    suites.setAttribute("name", "ksaudit diff");
    doc.appendChild(suites);
    int tests = 0;
    int failures = 0;
    for (Family f : families) {
      Element suite = doc.createElement("testsuite");
      suite.setAttribute("name", "ksaudit diff " + f.label());
      String className = "ksaudit.diff." + f.label();
      int suiteTests = 0;
      int suiteFailures = 0;
      for (LeakScenario s : LeakScenario.values()) {
        List<Difference> mine = r.differences().stream().filter(d -> d.family() == f && d.scenario() == s).toList();
        List<Difference> letOut = mine.stream().filter(Difference::letOut).toList();
        if (letOut.isEmpty()) {
          suite.appendChild(JunitReport.testcase(doc, className, s.label() + ": NEW lets out nothing OLD stopped"));
          suiteTests++;
        }
        for (Difference d : mine) {
          String where = d.location().map(l -> l.pos().toString()).orElse(d.file());
          Element t = JunitReport.testcase(doc, className, s.label() + ": " + (d.letOut() ? "newly let out at " : "newly stopped, OLD at ")
              + where);
          String body = DiffReport.text(d, sources);
          if (d.letOut()) {
            t.appendChild(JunitReport.failure(doc, DiffReport.message(d), "newly-let-out", body));
            suiteFailures++;
          } else {
            Element out = doc.createElement("system-out");
            out.setTextContent(TerminalText.text(body));
            t.appendChild(out);
          }
          suite.appendChild(t);
          suiteTests++;
        }
      }
      suite.setAttribute("tests", Integer.toString(suiteTests));
      suite.setAttribute("failures", Integer.toString(suiteFailures));
      suite.setAttribute("errors", "0");
      suite.setAttribute("skipped", "0");
      suites.appendChild(suite);
      tests += suiteTests;
      failures += suiteFailures;
    }
    suites.setAttribute("tests", Integer.toString(tests));
    suites.setAttribute("failures", Integer.toString(failures));
    suites.setAttribute("errors", "0");
    suites.setAttribute("skipped", "0");
    return XmlDocument.write(doc);
  }
}
