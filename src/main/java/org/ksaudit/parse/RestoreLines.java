package org.ksaudit.parse;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.model.SourcePos;

/**
 * A file's lines as iptables-restore reads them. Both restore tools read with
 * {@code fgets(buffer, 10240, in)} and handle each buffer as a line of its own
 * (xtables-restore.c, iptables-restore.c), so a file line of more than {@link #MAX_READ} bytes,
 * its newline included, is read as several lines: the first {@link #MAX_READ} bytes without a
 * newline, then the next, and so on; each is a table, chain, COMMIT, comment or rule line by
 * its own first byte, and a last part holding only the newline is an empty line. A part can
 * begin inside a word, and a character whose UTF-8 bytes straddle the cut is cut too: each part
 * holds U+FFFD for its share of it. Measured with iptables-nft-restore and
 * iptables-legacy-restore 1.8.9 (testdata/syntax/long-lines.v4.cases).
 *
 * <p>Each part is then handled as a C string (xshared.c add_param_to_argv), so a NUL byte ends
 * it: the rest of that part is read by fgets but never looked at, and the part has no newline
 * either, which matters where the tools compare a whole line ("COMMIT\n" in
 * iptables-legacy-restore). Each NUL is reported as a warning at its position.
 *
 * <p>The parser numbers the lines as read (the restore tools' own line numbers); every position
 * it reports goes through {@link #at} to the line and column of the file.
 */
final class RestoreLines {
  /** The most bytes one fgets call of the restore tools reads: its buffer of 10240 less the NUL. */
  static final int MAX_READ = 10239;
  /** How many columns a split warning lists before "...". */
  private static final int COLUMNS_LISTED = 4;

  private final String file;
  /** The file's lines as written, without their newlines. */
  private final String[] written;
  /** Which file lines are read in more than one part. */
  private final BitSet split = new BitSet();
  private final List<String> lines = new ArrayList<>();
  private final List<LineStart> starts = new ArrayList<>();
  private final BitSet noNewline = new BitSet();
  private final BitSet cut = new BitSet();
  private final BitSet cutAtStart = new BitSet();
  private final List<Diagnostic> warnings = new ArrayList<>();

  RestoreLines(String file, String text, Charset charset) {
    this.file = file;
    boolean endsWithNewline = text.endsWith("\n");
    String[] raw = text.split("\n", -1);
    if (endsWithNewline) raw = Arrays.copyOf(raw, raw.length - 1);
    written = raw;
    boolean latin1 = charset.equals(StandardCharsets.ISO_8859_1);
    for (int k = 0; k < raw.length; k++) {
      boolean newline = k < raw.length - 1 || endsWithNewline;
      List<Part> parts = Part.of(raw[k], newline, latin1);
      if (parts.size() > 1) {
        split.set(k + 1);
        warnings.add(splitWarning(k + 1, raw[k], parts, newline, latin1));
      }
      for (Part p : parts) add(k + 1, p);
    }
  }

  /** One fgets read of a file line: its text (cut characters as U+FFFD), its first column, and whether a newline ends it. */
  private record Part(String text, int offset, boolean newline) {
    static List<Part> of(String line, boolean newline, boolean latin1) {
      if ((long) line.length() * (latin1 ? 1 : 3) + (newline ? 1 : 0) <= MAX_READ) return List.of(new Part(line, 0, newline));
      List<Part> out = new ArrayList<>();
      StringBuilder part = new StringBuilder();
      int partStart = 0;
      int bytes = 0;
      for (int i = 0; i < line.length(); ) {
        int cp = line.codePointAt(i);
        int chars = Character.charCount(cp);
        int size = latin1 ? 1 : utf8Length(cp);
        int room = MAX_READ - bytes;
        if (size <= room) {
          part.appendCodePoint(cp);
          bytes += size;
        } else {
          // the character's bytes straddle the cut: each part keeps U+FFFD (one per UTF-16 unit, so columns stay the file's) for its share
          String cutCharacter = "\uFFFD".repeat(chars);
          out.add(new Part(part.append(cutCharacter).toString(), partStart, false));
          part.setLength(0);
          part.append(cutCharacter);
          partStart = i;
          bytes = size - room;
        }
        i += chars;
        if (bytes == MAX_READ && i < line.length()) {
          out.add(new Part(part.toString(), partStart, false));
          part.setLength(0);
          partStart = i;
          bytes = 0;
        }
      }
      if (bytes == MAX_READ && newline) {
        out.add(new Part(part.toString(), partStart, false));
        out.add(new Part("", line.length(), true));
      } else {
        out.add(new Part(part.toString(), partStart, newline));
      }
      return out;
    }

    private static int utf8Length(int cp) {
      return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
  }

  private void add(int fileLine, Part p) {
    int n = lines.size() + 1;
    LineStart start = new LineStart(file, fileLine, p.offset);
    starts.add(start);
    if (!p.newline) noNewline.set(n);
    int nul = p.text.indexOf('\0');
    if (nul < 0) {
      lines.add(p.text);
      return;
    }
    lines.add(p.text.substring(0, nul));
    noNewline.set(n);
    cut.set(n);
    if (nul == 0) cutAtStart.set(n);
    int lost = p.text.length() - nul - 1;
    warnings.add(Diagnostic.warning(start.at(nul + 1), 1,
        "NUL byte: iptables-restore ends the line here"
            + (lost == 0 ? "" : ", so the " + lost + " character" + (lost == 1 ? "" : "s") + " after it are not read"),
        "remove the NUL byte (the file was probably damaged by an editor or a transfer)", written[fileLine - 1]));
  }

  private Diagnostic splitWarning(int fileLine, String line, List<Part> parts, boolean newline, boolean latin1) {
    long bytes = (latin1 ? line.length() : line.getBytes(StandardCharsets.UTF_8).length) + (newline ? 1L : 0L);
    List<Part> read = parts.stream().filter(p -> !p.text.isEmpty() || !p.newline).toList();
    StringBuilder columns = new StringBuilder();
    for (int k = 1; k < read.size() && k <= COLUMNS_LISTED; k++)
      columns.append(k == 1 ? "" : ", ").append(read.get(k).offset + 1);
    if (read.size() - 1 > COLUMNS_LISTED) columns.append(", ...");
    String message = read.size() == 1
        ? "line of " + bytes + " bytes: iptables-restore reads at most " + MAX_READ + " bytes at a time; the newline after"
            + " them is read as an empty line of its own"
        : "line of " + bytes + " bytes: iptables-restore reads at most " + MAX_READ + " bytes at a time and loads each"
            + " part as a line of its own: this line is read as " + read.size() + " lines, the next one starting here"
            + (read.size() > 2 ? " (columns " + columns + ")" : "");
    int column = read.size() == 1 ? line.length() + 1 : read.get(1).offset + 1;
    return Diagnostic.warning(new SourcePos(file, fileLine, column), 1, message,
        "keep each line under " + MAX_READ + " bytes; a part that starts with \"-A\", \"COMMIT\" or \"*\" is a command of"
            + " its own, and one that starts inside a word usually makes the restore fail", line);
  }

  /** The text the restore tools look at: each line up to its first NUL, one line per fgets read. */
  String text() {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < lines.size(); k++) {
      sb.append(lines.get(k));
      if (k < lines.size() - 1 || !noNewline.get(lines.size())) sb.append('\n');
    }
    return sb.toString();
  }

  /** Line n (1-based, as read) as the tools see it, "" past the end. */
  String line(int n) {
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }

  /** Where line n (as read) starts in the file. */
  LineStart start(int n) {
    return n >= 1 && n <= starts.size() ? starts.get(n - 1) : new LineStart(file, Math.max(1, n - starts.size() + written.length), 0);
  }

  /** The file position of column {@code column} (1-based) of line n as read. */
  SourcePos at(int n, int column) {
    return start(n).at(column);
  }

  /** The text a diagnostic on line n (as read) shows: that line, or the whole file line when it is read in parts. */
  String shown(int n) {
    return shownFileLine(start(n).line());
  }

  /** The text a diagnostic on file line {@code fileLine} shows, as {@link #shown} does. */
  String shownFileLine(int fileLine) {
    if (fileLine < 1 || fileLine > written.length) return "";
    if (split.get(fileLine)) return written[fileLine - 1];
    int n = firstReadOf(fileLine);
    return n < 0 ? written[fileLine - 1] : line(n);
  }

  /** The line number as read of the only part of an unsplit file line. */
  private int firstReadOf(int fileLine) {
    // unsplit lines keep their offset from every split line before them, so search near fileLine
    int lo = fileLine - 1;
    int hi = starts.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int l = starts.get(mid).line();
      if (l < fileLine) lo = mid + 1;
      else if (l > fileLine) hi = mid - 1;
      else return mid + 1;
    }
    return -1;
  }

  int count() {
    return lines.size();
  }

  /** Whether the restore tool sees a newline at the end of line n: not after a NUL, not at the end of an unterminated file, not before the cut of a long line. */
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

  /** Whether line n (as read) is a later part of a long file line: it starts inside that line. */
  boolean continuesFileLine(int n) {
    return start(n).offset() > 0;
  }

  List<Diagnostic> warnings() {
    return List.copyOf(warnings);
  }
}
