package org.ksaudit.diagnostic;

/**
 * Renders a diagnostic the way compilers do:
 *
 * <pre>
 * rules.v4:7:40: error: unknown option "--cstate"
 *   -A INPUT -m conntrack --cstate RELATED,ESTABLISHED -j ACCEPT
 *                         ^~~~~~~~
 *   hint: did you mean "--ctstate"?
 * </pre>
 */
public final class DiagnosticPrinter {
  private DiagnosticPrinter() {}

  public static String render(Diagnostic d) {
    StringBuilder sb = new StringBuilder();
    sb.append(d.pos()).append(": ").append(d.severity().label()).append(": ").append(d.message()).append('\n');
    appendSourceAndCaret(sb, d.sourceLine(), d.pos().column(), d.length());
    d.hint().ifPresent(h -> sb.append("  hint: ").append(h).append('\n'));
    return sb.toString();
  }

  /** Appends the source line and a caret line under columns [column, column+length). */
  public static void appendSourceAndCaret(StringBuilder sb, String sourceLine, int column, int length) {
    if (sourceLine.isEmpty()) return;
    String shown = visible(sourceLine);
    sb.append("  ").append(shown).append('\n');
    StringBuilder caret = new StringBuilder("  ");
    for (int i = 0; i < column - 1 && i < shown.length(); i++) caret.append(shown.charAt(i) == '\t' ? '\t' : ' ');
    caret.append('^');
    for (int i = 1; i < length && column - 1 + i < shown.length(); i++) caret.append('~');
    sb.append(caret).append('\n');
  }

  /** Control characters (a CR from a CRLF file) would garble the terminal: show them escaped. */
  private static String visible(String line) {
    return line.replace("\r", "\\r");
  }
}
