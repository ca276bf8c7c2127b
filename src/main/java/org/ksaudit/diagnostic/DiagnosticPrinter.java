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
 *
 * The source line is shown as {@link TerminalText} escapes it, and the caret sits under the
 * column however wide the characters before it are (escapes, East Asian wide characters and
 * emoji, combining marks, tabs). A line wider than {@link #WINDOW} columns is shown as a window
 * around the column, cut with "..." on the side that goes on.
 */
public final class DiagnosticPrinter {
  /** The widest source excerpt shown, in terminal columns. */
  static final int WINDOW = 160;
  /** How much of a cut line stays visible before the column. */
  static final int BEFORE = 60;
  private static final String CUT = "...";
  /** Lines longer than this many characters are cut around the column before they are measured. */
  static final int LONG = 8 * WINDOW;

  private DiagnosticPrinter() {}

  public static String render(Diagnostic d) {
    StringBuilder sb = new StringBuilder();
    sb.append(TerminalText.line(d.pos() + ": " + d.severity().label() + ": " + d.message())).append('\n');
    appendSourceAndCaret(sb, d.sourceLine(), d.pos().column(), d.length());
    d.hint().ifPresent(h -> sb.append("  hint: ").append(TerminalText.line(h)).append('\n'));
    return sb.toString();
  }

  /**
   * Appends the source line and a caret line under code points [column, column+length) (columns
   * count code points from 1, as the lexer does).
   */
  public static void appendSourceAndCaret(StringBuilder sb, String sourceLine, int column, int length) {
    if (sourceLine.isEmpty()) return;
    if (sourceLine.length() <= LONG) {
      appendWindow(sb, sourceLine, column, length, false, false);
      return;
    }
    // a line of megabytes (iptables-restore reads it in parts, each with its diagnostics) is cut
    // to the characters around the column first, so that each diagnostic costs the same
    int at = Math.max(0, Math.min(column - 1, sourceLine.length()));
    int from = Math.max(0, at - 2 * WINDOW);
    int to = Math.min(sourceLine.length(), at + 4 * WINDOW);
    if (from > 0 && Character.isLowSurrogate(sourceLine.charAt(from))) from--;
    if (to < sourceLine.length() && Character.isLowSurrogate(sourceLine.charAt(to))) to++;
    appendWindow(sb, sourceLine.substring(from, to), at - from + 1, length, from > 0, to < sourceLine.length());
  }

  private static void appendWindow(StringBuilder sb, String sourceLine, int column, int length, boolean cutBefore,
      boolean cutAfter) {
    int[] cps = sourceLine.codePoints().toArray();
    int at = Math.max(0, Math.min(column - 1, cps.length));
    int end = Math.min(cps.length, at + Math.max(1, length));
    int from = 0;
    int to = cps.length;
    if (cutBefore || cutAfter || width(cps, 0, cps.length) > WINDOW) {
      from = at;
      int w = 0;
      while (from > 0 && w + TerminalText.width(cps[from - 1]) <= BEFORE) w += TerminalText.width(cps[--from]);
      to = at;
      while (to < cps.length && w + TerminalText.width(cps[to]) <= WINDOW) w += TerminalText.width(cps[to++]);
    }
    StringBuilder shown = new StringBuilder("  ");
    StringBuilder caret = new StringBuilder("  ");
    if (from > 0 || cutBefore) {
      shown.append(CUT);
      caret.append(" ".repeat(CUT.length()));
    }
    for (int i = from; i < to; i++) {
      int cp = cps[i];
      if (cp == '\t') shown.append('\t');
      else if (TerminalText.unsafe(cp) || cp == '\n') shown.append(TerminalText.escape(cp));
      else shown.appendCodePoint(cp);
    }
    if (to < cps.length || cutAfter) shown.append(CUT);
    for (int i = from; i < at; i++) {
      if (cps[i] == '\t') caret.append('\t');
      else caret.append(" ".repeat(TerminalText.width(cps[i])));
    }
    int underline = Math.max(1, width(cps, at, Math.min(end, Math.max(to, at))));
    caret.append('^').append("~".repeat(underline - 1));
    sb.append(shown).append('\n').append(caret).append('\n');
  }

  private static int width(int[] cps, int from, int to) {
    int w = 0;
    for (int i = from; i < to; i++) w += TerminalText.width(cps[i]);
    return w;
  }
}
