package org.ksaudit.lab;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command with optional stdin and a timeout; never inherits the terminal. */
public final class Exec {
  private Exec() {}

  /** What a finished command returned. {@code exitCode} is -1 after a timeout. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** First line of stderr (or stdout), for one-line error messages. */
    public String firstLine() {
      String s = stderr.isBlank() ? stdout : stderr;
      s = s.strip();
      int nl = s.indexOf('\n');
      return nl < 0 ? s : s.substring(0, nl);
    }
  }

  /** How long the rest of an exited command's output may take to be read (it is already in the pipe). */
  private static final long OUTPUT_GRACE_MILLIS = 1_000;

  public static Result run(List<String> command, String stdin, long timeoutMillis) {
    ProcessBuilder pb = new ProcessBuilder(command);
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Result(127, "", command.get(0) + ": " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread to = pump(p.getInputStream(), out);
    Thread te = pump(p.getErrorStream(), err);
    feed(p.getOutputStream(), stdin);
    try {
      if (!p.waitFor(timeoutMillis, TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        p.waitFor(2, TimeUnit.SECONDS);
        to.join(1000);
        te.join(1000);
        return new Result(-1, out.toString(StandardCharsets.UTF_8), "timed out after " + timeoutMillis + " ms: " + String.join(" ", command));
      }
      // a background child that inherited the pipes keeps them open after the command exits:
      // its output is not waited for
      to.join(OUTPUT_GRACE_MILLIS);
      te.join(OUTPUT_GRACE_MILLIS);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
    return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  public static Result run(String... command) {
    return run(List.of(command), null, 30_000);
  }

  /** True when {@code name} is an executable on this process's PATH (or an absolute executable path). */
  public static boolean onPath(String name) {
    return ToolPath.fromEnvironment().find(name).isPresent();
  }

  /** Writes the input from its own thread: a command that stops reading must not stall the wait for its end. */
  private static void feed(OutputStream in, String stdin) {
    Thread t = new Thread(() -> {
      try (in) {
        if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // the command may exit before reading its input (e.g. a usage error); its output tells why
      }
    }, "exec-feed");
    t.setDaemon(true);
    t.start();
  }

  private static Thread pump(InputStream in, ByteArrayOutputStream sink) {
    Thread t = new Thread(() -> {
      try {
        in.transferTo(sink);
      } catch (IOException e) {
        // the process went away; what was read is kept
      }
    }, "exec-pump");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
