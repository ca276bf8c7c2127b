package org.ksaudit.report;

import java.util.List;
import java.util.Locale;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.Finding;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

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
    Document doc = XmlDocument.create();
    Element suites = doc.createElement("testsuites");
    suites.setAttribute("name", "ksaudit check");
    doc.appendChild(suites);
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    for (CheckReport.Input in : r.inputs()) {
      Element suite = suite(doc, r, in);
      suites.appendChild(suite);
      tests += Integer.parseInt(suite.getAttribute("tests"));
      failures += Integer.parseInt(suite.getAttribute("failures"));
      skipped += Integer.parseInt(suite.getAttribute("skipped"));
    }
    suites.setAttribute("tests", Integer.toString(tests));
    suites.setAttribute("failures", Integer.toString(failures));
    suites.setAttribute("errors", "0");
    suites.setAttribute("skipped", Integer.toString(skipped));
    return XmlDocument.write(doc);
  }

  private static Element suite(Document doc, CheckReport r, CheckReport.Input in) {
    Element suite = doc.createElement("testsuite");
    suite.setAttribute("name", attr(in.name()));
    String className = "ksaudit.check." + in.family().label();
    int tests = 0;
    int failures = 0;
    int skipped = 0;
    Element load = testcase(doc, className, "iptables-restore loads " + in.name());
    suite.appendChild(load);
    tests++;
    List<Diagnostic> errors = r.diagnostics().stream()
        .filter(d -> d.pos().file().equals(in.name()) && d.severity() == Severity.ERROR).toList();
    for (Diagnostic d : errors) {
      load.appendChild(failure(doc, d.pos() + ": " + d.message(), "load-error", DiagnosticPrinter.render(d)));
    }
    if (!errors.isEmpty()) failures++;
    for (CheckInfo c : r.checks()) {
      String name = c.id() + " " + c.category().jsonName();
      if (r.refused()) {
        Element t = testcase(doc, className, name);
        Element skip = doc.createElement("skipped");
        skip.setAttribute("message", "not audited: iptables-restore would refuse the rules");
        t.appendChild(skip);
        suite.appendChild(t);
        tests++;
        skipped++;
        continue;
      }
      List<Finding> found = r.findings().stream().filter(f -> f.id().equals(c.id()) && r.inputOf(f).equals(java.util.Optional.of(in)))
          .toList();
      if (found.isEmpty()) {
        suite.appendChild(testcase(doc, className, name));
        tests++;
      }
      for (Finding f : found) {
        Element t = testcase(doc, className, name + f.line().map(l -> " at line " + l).orElse(""));
        String body = TextReport.render(f, r.sources());
        if (f.suppressed().isPresent()) {
          // a suppressed finding was seen and accepted: skipped, with who accepted it and why
          Element skip = doc.createElement("skipped");
          skip.setAttribute("message", attr("suppressed by " + f.suppressed().get().describe()));
          t.appendChild(skip);
          skipped++;
        } else if (r.fails(f)) {
          t.appendChild(failure(doc, f.severity().label() + ": " + f.message(), c.category().jsonName(), body));
          failures++;
        } else {
          Element out = doc.createElement("system-out");
          out.setTextContent(TerminalText.text(body));
          t.appendChild(out);
        }
        suite.appendChild(t);
        tests++;
      }
    }
    suite.setAttribute("tests", Integer.toString(tests));
    suite.setAttribute("failures", Integer.toString(failures));
    suite.setAttribute("errors", "0");
    suite.setAttribute("skipped", Integer.toString(skipped));
    return suite;
  }

  static Element testcase(Document doc, String className, String name) {
    Element t = doc.createElement("testcase");
    t.setAttribute("classname", className);
    t.setAttribute("name", attr(name));
    return t;
  }

  static Element failure(Document doc, String message, String type, String body) {
    Element f = doc.createElement("failure");
    f.setAttribute("message", attr(message));
    f.setAttribute("type", type.toLowerCase(Locale.ROOT));
    f.setTextContent(TerminalText.text(body));
    return f;
  }

  /** An attribute is one line: a newline in a name or message is shown escaped. */
  static String attr(String text) {
    return TerminalText.line(text);
  }
}
