package org.ksaudit.report;

import java.util.List;
import org.ksaudit.check.CheckInfo;

/** The documentation of a check, as {@code ksaudit explain} prints it. */
public final class ExplainReport {
  private ExplainReport() {}

  public static String render(CheckInfo c) {
    StringBuilder sb = new StringBuilder();
    sb.append(c.id()).append(' ').append(c.category().jsonName()).append(" (").append(c.severity().label())
        .append("): ").append(c.summary()).append("\n\n");
    section(sb, "What it means", c.meaning());
    section(sb, "Why it leaks", c.whyItLeaks());
    section(sb, "Insecure example", indent(c.insecureExample()));
    section(sb, "Secure example", indent(c.secureExample()));
    sb.append("References\n");
    for (String r : c.references()) sb.append("  - ").append(r).append('\n');
    return sb.toString();
  }

  /** The same documentation in Markdown, for SARIF's {@code help.markdown}. */
  public static String markdown(CheckInfo c) {
    StringBuilder sb = new StringBuilder();
    sb.append("**").append(c.id()).append(' ').append(c.category().jsonName()).append("** (").append(c.severity().label())
        .append("): ").append(c.summary()).append("\n\n");
    sb.append("### What it means\n\n").append(c.meaning().strip()).append("\n\n");
    sb.append("### Why it leaks\n\n").append(c.whyItLeaks().strip()).append("\n\n");
    sb.append("### Insecure example\n\n```\n").append(c.insecureExample().strip()).append("\n```\n\n");
    sb.append("### Secure example\n\n```\n").append(c.secureExample().strip()).append("\n```\n\n");
    sb.append("### References\n\n");
    for (String r : c.references()) sb.append("- ").append(r).append('\n');
    return sb.toString();
  }

  public static String list(List<CheckInfo> checks) {
    StringBuilder sb = new StringBuilder();
    for (CheckInfo c : checks) {
      sb.append(String.format("%s  %-22s %-7s  %s%n", c.id(), c.category().jsonName(), c.severity().label(), c.summary()));
    }
    return sb.toString();
  }

  private static void section(StringBuilder sb, String title, String body) {
    sb.append(title).append('\n');
    for (String line : body.strip().split("\n")) sb.append("  ").append(line.stripTrailing()).append('\n');
    sb.append('\n');
  }

  private static String indent(String example) {
    return example.lines().map(l -> "  " + l).reduce((a, b) -> a + "\n" + b).orElse("");
  }
}
