package org.ksaudit.cli;

/** When the text report is coloured: {@code --color auto|always|never}. */
enum ColorMode {
  AUTO,
  ALWAYS,
  NEVER;

  /** {@code auto} colours only a terminal and honours NO_COLOR; {@code always} is the user's explicit wish and overrides it. */
  boolean colors(Streams.Console console) {
    return switch (this) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> console.terminal() && !console.noColor();
    };
  }
}
