package org.ksaudit.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The command {@code --on-change} names, run with {@code sh -c} when the verdict changes: the
 * summary on its standard input, the run folder and the verdict's status in its environment
 * ({@code KSAUDIT_RUN}, {@code KSAUDIT_VERDICT}), what it prints passed on to ksaudit's standard
 * error, and a bounded time (a mail server that never answers must not hold a scheduled run).
 */
public final class OnChangeCommand {
  /** How long the command may run before it is killed. */
  public static final long TIMEOUT_SECONDS = 120;

  private OnChangeCommand() {}

  /** How the command ended: its exit status, or why it did not run to the end (then empty status). */
  public record Outcome(java.util.OptionalInt status, String output, String problem) {}

  public static Outcome run(String command, String summary, Path run, VerdictStatus verdict) {
    ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    pb.environment().put("KSAUDIT_RUN", run.toString());
    pb.environment().put("KSAUDIT_VERDICT", verdict.label());
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      return new Outcome(java.util.OptionalInt.empty(), "", "cannot start sh: " + e.getMessage());
    }
    // the output is read beside the input, so that a command that writes much before it reads never blocks both
    OutputCollector out = new OutputCollector(p.getInputStream());
    out.start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(summary.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // the command did not read its input (it exited first): what it did is told by its exit status
    }
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
        out.join(5_000);
        return new Outcome(java.util.OptionalInt.empty(), out.text(), "killed after " + TIMEOUT_SECONDS + " s");
      }
      out.join(5_000);
      return new Outcome(java.util.OptionalInt.of(p.exitValue()), out.text(), "");
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Outcome(java.util.OptionalInt.empty(), out.text(), "interrupted");
    }
  }

  /** Reads what the command prints, up to 64 KiB kept: the rest is read and dropped. */
  private static final class OutputCollector extends Thread {
    private static final int KEPT = 64 << 10;
    private final InputStream in;
    private final java.io.ByteArrayOutputStream kept = new java.io.ByteArrayOutputStream();

    OutputCollector(InputStream in) {
      super("on-change output");
      setDaemon(true);
      this.in = in;
    }

    @Override
    public void run() {
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) > 0; ) {
          synchronized (kept) {
            if (kept.size() < KEPT) kept.write(buf, 0, Math.min(n, KEPT - kept.size()));
          }
        }
      } catch (IOException e) {
        // the command ended: what it printed so far is kept
      }
    }

    String text() {
      synchronized (kept) {
        return kept.toString(StandardCharsets.UTF_8);
      }
    }
  }
}
