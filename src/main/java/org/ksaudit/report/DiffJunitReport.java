package org.ksaudit.report;

import java.util.List;
import java.util.Set;
import org.ksaudit.analysis.LeakScenario;
import org.ksaudit.check.Difference;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.model.Family;

/**
 * {@code ksaudit diff} as JUnit XML: one {@code testsuite} per family compared, in it one test
 * case per scenario. A scenario in which NEW lets out nothing OLD stopped passes; otherwise each
 * packet class newly let out is a failed test case of its own (its body as the text report
 * prints the difference). What NEW newly stops passes, with the difference in {@code system-out}.
 */
public final class DiffJunitReport {
  private DiffJunitReport() {}

  public static String write(Set<Family> families, RulesetDiff.Result r, Sources sources) {
    JunitDocument doc = new JunitDocument("ksaudit diff");
    for (Family f : families) {
      JunitDocument.Suite suite = doc.suite("ksaudit diff " + f.label(), "ksaudit.diff." + f.label());
      for (LeakScenario s : LeakScenario.values()) {
        List<Difference> mine = r.differences().stream().filter(d -> d.family() == f && d.scenario() == s).toList();
        if (mine.stream().noneMatch(Difference::letOut)) suite.pass(s.label() + ": NEW lets out nothing OLD stopped");
        for (Difference d : mine) {
          String where = d.location().map(l -> l.pos().toString()).orElse(d.file());
          String body = DiffReport.text(d, sources);
          if (d.letOut()) {
            suite.fail(s.label() + ": newly let out at " + where, new JunitDocument.Failure(DiffReport.message(d), "newly-let-out", body));
          } else {
            suite.pass(s.label() + ": newly stopped, OLD at " + where, body);
          }
        }
      }
    }
    return doc.write();
  }
}
