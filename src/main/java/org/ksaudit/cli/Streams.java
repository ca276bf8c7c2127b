package org.ksaudit.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * The standard streams and the environment of one CLI run. {@code styled} is standard output for
 * a report that paints itself (escape sequences of colour pass, every other control is escaped);
 * {@code console} says whether colour is wanted there.
 */
public record Streams(InputStream in, PrintWriter out, PrintWriter err, PrintWriter styled, Console console,
    Map<String, String> env) {
  public Streams {
    env = Map.copyOf(env);
  }

  /** Whether standard output is a terminal, and whether {@code NO_COLOR} asks for no colour. */
  public record Console(boolean terminal, boolean noColor) {
    /** No terminal: the in-process runs of tests, and output to a file or a pipe. */
    public static Console none() {
      return new Console(false, false);
    }

    /** This process's: a terminal when Java has a console; NO_COLOR set and not empty asks for no colour (no-color.org). */
    static Console detect() {
      String noColor = System.getenv("NO_COLOR");
      return new Console(System.console() != null, noColor != null && !noColor.isEmpty());
    }
  }
}
