package org.ksaudit.parse;

import org.ksaudit.model.SourcePos;

/**
 * Where a line as iptables-restore reads it starts in the file: the file line and the number of
 * characters before it on that line (0 unless the line is a later part of a long file line, see
 * {@link RestoreLines}).
 */
record LineStart(String file, int line, int offset) {
  /** The file position of column {@code column} (1-based) of the line as read. */
  SourcePos at(int column) {
    return new SourcePos(file, line, offset + Math.max(1, column));
  }
}
