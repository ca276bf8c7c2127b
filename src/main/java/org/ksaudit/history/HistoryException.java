package org.ksaudit.history;

/** The out folder cannot be used as a history: its message says which file and why, in one line. */
public final class HistoryException extends Exception {
  public HistoryException(String message) {
    super(message, null, false, false);
  }
}
