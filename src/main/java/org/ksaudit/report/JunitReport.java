package org.ksaudit.report;

import java.util.List;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;

/**
 * The report as JUnit XML, for the test tabs of GitLab, Jenkins and Azure: one {@code testsuite}
 * per input file; in it a test case for loading the file (failed by each syntax or load error),
 * then for every check one test case per finding, failed when the finding is at or above the
 * {@code --fail-on} threshold (its body: the rule line, the witness and the trace, as the text
 * report prints them), passed with the finding in {@code system-out} below it, and one passing
 * test case for a check that found nothing. When the rules are refused the checks are skipped.
 * Written with the JDK's DOM and transformer; XML 1.0 cannot hold most control characters even
 * escaped, so every text from the input is shown escaped as on a terminal.
 */
public final class JunitReport implements ReportWriter {
  @Override
  public String write(CheckReport r) {
    JunitDocument doc = new JunitDocument("ksaudit check");
    for (CheckReport.Input in : r.inputs()) suite(doc, r, in);
    return doc.write();
  }

  private static void suite(JunitDocument doc, CheckReport r, CheckReport.Input in) {
    JunitDocument.Suite suite = doc.suite(in.name(), "ksaudit.check." + in.family().label());
    List<JunitDocument.Failure> errors = r.diagnostics().stream()
        .filter(d -> d.pos().file().equals(in.name()) && d.severity() == Severity.ERROR)
        .map(d -> new JunitDocument.Failure(d.pos() + ": " + d.message(), "load-error", DiagnosticPrinter.render(d))).toList();
    suite.fail("iptables-restore loads " + in.name(), errors);
    for (CheckInfo c : r.checks()) {
      String name = c.id() + " " + c.category().jsonName();
      if (r.refused()) {
        suite.skip(name, "not audited: iptables-restore would refuse the rules");
        continue;
      }
      List<Finding> found = r.findings().stream().filter(f -> f.id().equals(c.id()) && r.inputOf(f).equals(java.util.Optional.of(in)))
          .toList();
      if (found.isEmpty()) suite.pass(name);
      for (Finding f : found) {
        String caseName = name + f.line().map(l -> " at line " + l).orElse("");
        String body = TextReport.render(f, r.sources());
        // a suppressed finding was seen and accepted: skipped, with who accepted it and why
        if (f.suppressed().isPresent()) suite.skip(caseName, "suppressed by " + f.suppressed().get().describe());
        else if (r.fails(f)) suite.fail(caseName, new JunitDocument.Failure(f.severity().label() + ": " + f.message(), c.category().jsonName(), body));
        else suite.pass(caseName, body);
      }
    }
  }
}
