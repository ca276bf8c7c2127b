package org.ksaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Whether standard output is a terminal, whether {@code NO_COLOR} asks for no colour, and whether
   * standard error is a terminal (where progress of a long run is shown, and only there).
   */
  public record Console(boolean terminal, boolean noColor, boolean errTerminal) {
    /** Standard error no terminal. */
    public Console(boolean terminal, boolean noColor) {
      this(terminal, noColor, false);
    }

    /** No terminal: the in-process runs of tests, and output to a file or a pipe. */
    public static Console none() {
      return new Console(false, false, false);
    }

    /** This process's: a terminal when Java has a console; NO_COLOR set and not empty asks for no colour (no-color.org). */
    static Console detect() {
      String noColor = System.getenv("NO_COLOR");
      return new Console(System.console() != null, noColor != null && !noColor.isEmpty(), stderrIsTerminal());
    }

    /** Whether descriptor 2 is a terminal device: Java tells only of a console on both standard input and output. */
    private static boolean stderrIsTerminal() {
      try {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
      } catch (IOException | RuntimeException e) {
        // no /proc, or descriptor 2 is closed: nothing to show progress on
        return false;
      }
    }
  }
}
