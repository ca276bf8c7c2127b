package org.ksaudit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the CLI in-process and keeps what it printed. */
record CliRun(int code, String out, String err) {
  static CliRun of(String... args) {
    return withStdin(new byte[0], args);
  }

  static CliRun withStdin(byte[] stdin, String... args) {
    return on(Streams.Console.none(), stdin, args);
  }

  /** A run whose standard output is (or is not) a terminal, with or without NO_COLOR. */
  static CliRun on(Streams.Console console, byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new ByteArrayInputStream(stdin), new PrintStream(out, true), new PrintStream(err, true), console);
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Both streams, for assertions about everything the user sees. */
  String both() {
    return out + err;
  }
}
