package org.ksaudit.parse;

/** One argv word of a rule line, with where it stands in the source. */
record Arg(String text, Kind kind, int column, int length) {
  enum Kind {
    WORD,
    OPTION,
    BANG
  }
}
