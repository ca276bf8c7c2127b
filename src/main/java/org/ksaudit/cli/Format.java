package org.ksaudit.cli;

import java.util.Locale;

/** The output format of a command. */
enum Format {
  TEXT,
  JSON;

  static Format parse(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "text" -> TEXT;
      case "json" -> JSON;
      default -> throw new IllegalArgumentException("'" + text + "' must be text or json");
    };
  }
}
