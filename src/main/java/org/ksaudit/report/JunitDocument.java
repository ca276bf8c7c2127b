package org.ksaudit.report;

import java.util.List;
import java.util.Locale;
import org.ksaudit.diagnostic.TerminalText;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A JUnit XML document as the test tabs of GitLab, Jenkins and Azure read it: test suites of
 * test cases that pass, fail, or are skipped, with the counts on every suite and on the whole
 * kept as cases are added. Built with the JDK's DOM; XML 1.0 cannot hold most control
 * characters even escaped, so every text is shown escaped as on a terminal, and names and
 * messages (attributes) are one line.
 */
public final class JunitDocument {
  private final Document doc = XmlDocument.create();
  private final Element root;

  public JunitDocument(String name) {
    root = doc.createElement("testsuites");
    root.setAttribute("name", name);
    doc.appendChild(root);
    count(root, 0, 0, 0);
  }

  /** A new suite; its test cases' class name is {@code className}. */
  public Suite suite(String name, String className) {
    Element e = doc.createElement("testsuite");
    e.setAttribute("name", TerminalText.line(name));
    count(e, 0, 0, 0);
    root.appendChild(e);
    return new Suite(e, className);
  }

  public String write() {
    return XmlDocument.write(doc);
  }

  private static void count(Element e, int tests, int failures, int skipped) {
    e.setAttribute("tests", Integer.toString(number(e, "tests") + tests));
    e.setAttribute("failures", Integer.toString(number(e, "failures") + failures));
    e.setAttribute("errors", "0");
    e.setAttribute("skipped", Integer.toString(number(e, "skipped") + skipped));
  }

  private static int number(Element e, String attribute) {
    String v = e.getAttribute(attribute);
    return v.isEmpty() ? 0 : Integer.parseInt(v);
  }

  /** Why a case failed: a one-line message, a type, and the body (what the text report prints). */
  public record Failure(String message, String type, String body) {}

  /** One test suite of the document. */
  public final class Suite {
    private final Element element;
    private final String className;

    private Suite(Element element, String className) {
      this.element = element;
      this.className = className;
    }

    public void pass(String name) {
      add(testcase(name), 0, 0);
    }

    /** A passing case with what was seen in {@code system-out}. */
    public void pass(String name, String output) {
      Element c = testcase(name);
      Element out = doc.createElement("system-out");
      out.setTextContent(TerminalText.text(output));
      c.appendChild(out);
      add(c, 0, 0);
    }

    public void fail(String name, Failure failure) {
      fail(name, List.of(failure));
    }

    /** A case with one failure element per reason (a file the loader refuses for several); none is a pass. */
    public void fail(String name, List<Failure> failures) {
      Element c = testcase(name);
      for (Failure f : failures) c.appendChild(failure(f));
      add(c, failures.isEmpty() ? 0 : 1, 0);
    }

    public void skip(String name, String reason) {
      Element c = testcase(name);
      Element skip = doc.createElement("skipped");
      skip.setAttribute("message", TerminalText.line(reason));
      c.appendChild(skip);
      add(c, 0, 1);
    }

    private Element testcase(String name) {
      Element c = doc.createElement("testcase");
      c.setAttribute("classname", className);
      c.setAttribute("name", TerminalText.line(name));
      return c;
    }

    private Element failure(Failure failure) {
      Element f = doc.createElement("failure");
      f.setAttribute("message", TerminalText.line(failure.message()));
      f.setAttribute("type", failure.type().toLowerCase(Locale.ROOT));
      f.setTextContent(TerminalText.text(failure.body()));
      return f;
    }

    private void add(Element c, int failures, int skipped) {
      element.appendChild(c);
      count(element, 1, failures, skipped);
      count(root, 1, failures, skipped);
    }
  }
}
