package org.ksaudit.check;

import org.ksaudit.model.SourcePos;

/** Where a finding points: a position, how many characters to underline, and the line as written. */
public record Location(SourcePos pos, int length, String sourceLine) {
  public Location {
    if (length < 1) length = 1;
    sourceLine = sourceLine == null ? "" : sourceLine;
  }
}
