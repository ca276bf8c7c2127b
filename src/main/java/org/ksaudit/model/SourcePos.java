package org.ksaudit.model;

/** A position in an input file; line and column are 1-based, as editors show them. */
public record SourcePos(String file, int line, int column) implements Comparable<SourcePos> {
  public SourcePos {
    if (file == null) throw new IllegalArgumentException("file");
    if (line < 1 || column < 1) throw new IllegalArgumentException("line/column must be >= 1: " + line + ":" + column);
  }

  @Override
  public int compareTo(SourcePos o) {
    int c = file.compareTo(o.file);
    if (c != 0) return c;
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }

  @Override
  public String toString() {
    return file + ":" + line + ":" + column;
  }
}
