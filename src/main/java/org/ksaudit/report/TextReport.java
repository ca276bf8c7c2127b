package org.ksaudit.report;

import java.util.List;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;

/**
 * Findings as a compiler prints diagnostics: position, severity, category, message, ID and
 * certainty; the line with a caret under the part that lets the packets out; then the witness
 * packet and the rules it passes.
 *
 * <pre>
 * rules.v4:14:11: error: dns-leak: DNS (UDP and TCP) to 10.45.16.1 can leave ... [KS102, definite]
 *   -A OUTPUT -d 10.45.16.1 -j ACCEPT
 *             ^~~~~~~~~~~~~
 *   witness: ipv4 udp 10.45.16.1:53 out eth0
 *   trace: rules.v4:14 filter/OUTPUT ACCEPT
 * </pre>
 */
public final class TextReport {
  private TextReport() {}

  /** The reported findings and the summary line; suppressed findings are only counted. */
  public static String render(List<Finding> findings, Sources sources) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) if (f.reported()) sb.append(render(f, sources));
    sb.append(summary(findings)).append('\n');
    return sb.toString();
  }

  /** The suppressed findings ({@code --list-ignored}), each followed by what suppresses it. */
  public static String renderSuppressed(List<Finding> findings, Sources sources) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      if (f.reported()) continue;
      sb.append("suppressed: ").append(render(f, sources));
      sb.append("  suppressed by ").append(TerminalText.line(f.suppressed().get().describe())).append('\n');
    }
    return sb.toString();
  }

  public static String render(Finding f, Sources sources) {
    StringBuilder sb = new StringBuilder();
    String where = f.location().map(l -> l.pos().toString()).orElse(f.file().isEmpty() ? "ksaudit" : f.file());
    sb.append(TerminalText.line(where + ": " + f.severity().label() + ": " + f.category().jsonName() + ": " + f.message()
        + " [" + f.id() + ", " + f.certainty().label() + "]")).append('\n');
    if (f.location().isPresent()) {
      Location l = f.location().get();
      String line = l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
      int length = l.sourceLine().isEmpty() ? wordLength(line, l.pos().column()) : l.length();
      DiagnosticPrinter.appendSourceAndCaret(sb, line, l.pos().column(), length);
    }
    if (f.locations().size() > 1) {
      List<Location> more = f.locations().subList(1, f.locations().size());
      sb.append("  and ").append(more.size()).append(" more: line").append(more.size() == 1 ? " " : "s ")
          .append(TerminalText.line(String.join(", ", more.stream().map(TextReport::where).toList()))).append('\n');
    }
    f.witness().ifPresent(w -> sb.append("  witness: ").append(TerminalText.line(w.describe())).append('\n'));
    for (TraceStep s : f.trace()) sb.append("  trace: ").append(TerminalText.line(s.describe())).append('\n');
    return sb.toString();
  }

  /** A further location: its line, with the file when it is not the first location's. */
  private static String where(Location l) {
    return Integer.toString(l.pos().line());
  }

  private static int wordLength(String line, int column) {
    int i = column - 1;
    int end = i;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
    return Math.max(1, end - i);
  }

  /**
   * One line: the reported findings by severity, and how many are suppressed. Only a run with
   * no finding at all says nothing leaves: a suppressed leak still lets its packets out.
   */
  public static String summary(List<Finding> findings) {
    if (findings.isEmpty()) return "no findings: no packet leaves outside the tunnel";
    long reported = findings.stream().filter(Finding::reported).count();
    long suppressed = findings.size() - reported;
    String hidden = suppressed + " suppressed (--list-ignored shows them)";
    if (reported == 0) return "no findings reported; " + hidden + ": what they let out still leaves outside the tunnel";
    long e = count(findings, Severity.ERROR);
    long w = count(findings, Severity.WARNING);
    long i = count(findings, Severity.INFO);
    return reported + (reported == 1 ? " finding: " : " findings: ") + e + (e == 1 ? " error, " : " errors, ")
        + w + (w == 1 ? " warning, " : " warnings, ") + i + " info (ksaudit explain ID tells more)"
        + (suppressed > 0 ? "; " + hidden : "");
  }

  /** The reported findings of this severity. */
  static long count(List<Finding> findings, Severity s) {
    return findings.stream().filter(f -> f.reported() && f.severity() == s).count();
  }
}
