package org.ksaudit.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Location;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.diagnostic.TerminalText;

/**
 * Findings as a compiler prints diagnostics: position, severity, category, message, ID and
 * certainty; the line with a caret under the part that lets the packets out; then the witness
 * packet, the rules it passes, and where to read more.
 *
 * <pre>
 * rules.v4:14:11: error: dns-leak: DNS (UDP and TCP) to 10.45.16.1 can leave ... [KS102, definite]
 *   -A OUTPUT -d 10.45.16.1 -j ACCEPT
 *             ^~~~~~~~~~~~~
 *   witness: ipv4 udp 10.45.16.1:53 out eth0
 *   trace: rules.v4:14 filter/OUTPUT ACCEPT
 *   explain: ksaudit explain KS102
 * </pre>
 *
 * With colour, the severity and the summary are painted with SGR sequences. Every piece of
 * the input in the text (messages, lines, names) has passed {@link TerminalText} before it is
 * painted, so the only escape sequences in a coloured report are the writer's own.
 */
public final class TextReport implements ReportWriter {
  private static final String RESET = "\u001b[0m";
  private static final String BOLD = "\u001b[1m";
  private static final String RED = "\u001b[1;31m";
  private static final String YELLOW = "\u001b[1;33m";
  private static final String CYAN = "\u001b[1;36m";
  private static final String DIM = "\u001b[2m";

  private final boolean color;
  private final boolean listIgnored;

  public TextReport(boolean color, boolean listIgnored) {
    this.color = color;
    this.listIgnored = listIgnored;
  }

  @Override
  public String write(CheckReport r) {
    StringBuilder sb = new StringBuilder();
    for (Diagnostic d : r.diagnostics()) sb.append(diagnostic(d));
    if (r.refused()) {
      long errors = r.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).count();
      long warnings = r.diagnostics().stream().filter(d -> d.severity() == Severity.WARNING).count();
      return sb.append(paint(BOLD, errors + (errors == 1 ? " error" : " errors") + (warnings > 0 ? ", " + warnings + " warnings" : "")
          + ": iptables-restore would refuse " + (r.inputs().size() == 1 ? "this file" : "these files"))).append('\n').toString();
    }
    for (Diagnostic n : r.notes()) sb.append(diagnostic(n));
    r.tunnels().ifPresent(t -> t.describe().forEach(l -> sb.append(TerminalText.line(l)).append('\n')));
    for (Finding f : r.findings()) if (f.reported()) sb.append(finding(f, r.sources()));
    if (r.inputs().size() > 1) {
      for (Map.Entry<String, List<Finding>> e : byFile(r).entrySet()) {
        sb.append(TerminalText.line(e.getKey())).append(": ").append(e.getValue().isEmpty() ? "no findings" : counts(e.getValue()))
            .append('\n');
      }
    }
    sb.append(paint(BOLD, summary(r.findings()))).append('\n');
    if (listIgnored) sb.append(suppressed(r.findings(), r.sources()));
    return sb.toString();
  }

  /** The findings of each input, in the order the files were given (a finding about a missing ruleset under the first). */
  private static Map<String, List<Finding>> byFile(CheckReport r) {
    Map<String, List<Finding>> out = new LinkedHashMap<>();
    for (CheckReport.Input i : r.inputs()) out.put(i.name(), new ArrayList<>());
    for (Finding f : r.findings()) r.inputOf(f).ifPresent(i -> out.get(i.name()).add(f));
    return out;
  }

  private String diagnostic(Diagnostic d) {
    String text = DiagnosticPrinter.render(d);
    if (!color) return text;
    String head = TerminalText.line(d.pos() + ": ");
    String word = d.severity().label() + ":";
    return text.startsWith(head + word) ? head + paint(severityColor(d.severity()), word) + text.substring(head.length() + word.length()) : text;
  }

  /** The suppressed findings ({@code --list-ignored}), each followed by what suppresses it. */
  private String suppressed(List<Finding> findings, Sources sources) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : findings) {
      if (f.reported()) continue;
      sb.append("suppressed: ").append(finding(f, sources));
      sb.append("  suppressed by ").append(TerminalText.line(f.suppressed().get().describe())).append('\n');
    }
    return sb.toString();
  }

  /** One finding, as {@code check} prints it. */
  public static String render(Finding f, Sources sources) {
    return new TextReport(false, false).finding(f, sources);
  }

  private String finding(Finding f, Sources sources) {
    StringBuilder sb = new StringBuilder();
    String where = f.location().map(l -> l.pos().toString()).orElse(f.file().isEmpty() ? "ksaudit" : f.file());
    sb.append(TerminalText.line(where + ": ")).append(paint(severityColor(f.severity()), f.severity().label() + ":"))
        .append(TerminalText.line(" " + f.category().jsonName() + ": " + f.message() + " [" + f.id() + ", " + f.certainty().label() + "]"))
        .append('\n');
    if (f.location().isPresent()) {
      Location l = f.location().get();
      String line = l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine();
      int length = l.sourceLine().isEmpty() ? wordLength(line, l.pos().column()) : l.length();
      DiagnosticPrinter.appendSourceAndCaret(sb, line, l.pos().column(), length);
    }
    if (f.locations().size() > 1) {
      List<Location> more = f.locations().subList(1, f.locations().size());
      sb.append("  and ").append(more.size()).append(" more: line").append(more.size() == 1 ? " " : "s ")
          .append(TerminalText.line(String.join(", ", more.stream().map(l -> Integer.toString(l.pos().line())).toList()))).append('\n');
    }
    f.witness().ifPresent(w -> sb.append("  witness: ").append(TerminalText.line(w.describe())).append('\n'));
    for (TraceStep s : f.trace()) sb.append("  trace: ").append(TerminalText.line(s.describe())).append('\n');
    sb.append(paint(DIM, "  explain: ksaudit explain " + f.id())).append('\n');
    return sb.toString();
  }

  private static String severityColor(Severity s) {
    return switch (s) {
      case ERROR -> RED;
      case WARNING -> YELLOW;
      case INFO -> CYAN;
    };
  }

  private String paint(String sgr, String text) {
    return color ? sgr + text + RESET : text;
  }

  /** How long the part at {@code column} is when the finding does not say: up to the next blank. */
  static int wordLength(String line, int column) {
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
    return counts(findings) + " (ksaudit explain ID tells more)" + (suppressed > 0 ? "; " + hidden : "");
  }

  /** {@code 3 findings: 3 errors, 0 warnings, 0 info}, of the reported findings */
  private static String counts(List<Finding> findings) {
    long reported = findings.stream().filter(Finding::reported).count();
    long e = count(findings, Severity.ERROR);
    long w = count(findings, Severity.WARNING);
    long i = count(findings, Severity.INFO);
    return reported + (reported == 1 ? " finding: " : " findings: ") + e + (e == 1 ? " error, " : " errors, ")
        + w + (w == 1 ? " warning, " : " warnings, ") + i + " info";
  }

  /** The reported findings of this severity. */
  static long count(List<Finding> findings, Severity s) {
    return findings.stream().filter(f -> f.reported() && f.severity() == s).count();
  }
}
