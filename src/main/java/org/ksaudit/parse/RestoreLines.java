package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.model.SourcePos;

/**
 * A file's lines as iptables-restore reads them. Both restore tools read a line with fgets and
 * then handle it as a C string (xtables-restore.c, iptables-restore.c, xshared.c
 * add_param_to_argv), so a NUL byte ends the line: the rest of that line, up to its newline,
 * is read by fgets but never looked at. Such a line has no newline either, which matters where
 * the tools compare a whole line ("COMMIT\n" in iptables-legacy-restore). Each NUL is reported
 * as a warning at its position; what the line loses is then judged like any other line.
 */
final class RestoreLines {
  private final String[] lines;
  private final BitSet noNewline = new BitSet();
  private final BitSet cut = new BitSet();
  private final BitSet cutAtStart = new BitSet();
  private final List<Diagnostic> warnings = new ArrayList<>();

  RestoreLines(String file, String text) {
    boolean endsWithNewline = text.endsWith("\n");
    String[] raw = text.split("\n", -1);
    if (endsWithNewline) raw = Arrays.copyOf(raw, raw.length - 1);
    lines = raw.clone();
    if (!endsWithNewline && raw.length > 0) noNewline.set(raw.length);
    if (text.indexOf('\0') < 0) return;
    for (int k = 0; k < raw.length; k++) {
      int nul = raw[k].indexOf('\0');
      if (nul < 0) continue;
      int n = k + 1;
      lines[k] = raw[k].substring(0, nul);
      noNewline.set(n);
      cut.set(n);
      if (nul == 0) cutAtStart.set(n);
      int lost = raw[k].length() - nul - 1;
      warnings.add(Diagnostic.warning(new SourcePos(file, n, nul + 1), 1,
          "NUL byte: iptables-restore ends the line here"
              + (lost == 0 ? "" : ", so the " + lost + " character" + (lost == 1 ? "" : "s") + " after it are not read"),
          "remove the NUL byte (the file was probably damaged by an editor or a transfer)", raw[k]));
    }
  }

  /** The text the restore tools look at: each line up to its first NUL. */
  String text() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < lines.length; k++) {
      sb.append(lines[k]);
      if (k < lines.length - 1 || !noNewline.get(lines.length)) sb.append('\n');
    }
    return sb.toString();
  }

  String[] lines() {
    return lines;
  }

  /** Line n (1-based) as read, "" past the end. */
  String line(int n) {
    return n >= 1 && n <= lines.length ? lines[n - 1] : "";
  }

  int count() {
    return lines.length;
  }

  /** Whether the restore tool sees a newline at the end of line n: not after a NUL, not at the end of an unterminated file. */
  boolean hasNewline(int n) {
    return !noNewline.get(n);
  }

  /** Whether line n held a NUL byte, and so ends there. */
  boolean cutByNul(int n) {
    return cut.get(n);
  }

  /** A line that starts with a NUL: the tools read an empty string, which is not an empty line to them. */
  boolean emptiedByNul(int n) {
    return cutAtStart.get(n);
  }

  List<Diagnostic> warnings() {
    return List.copyOf(warnings);
  }
}
