package org.ksaudit.fuzz;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ksaudit.cli.Main;
import org.ksaudit.model.Family;

/**
 * {@code ksaudit check} of one input, in-process through {@link Main#run} with its own streams,
 * on a thread of this lane's, under a deadline. A run that has not ended by the deadline is
 * given a grace period only to tell a slow input from a busy machine: if it then ends having
 * used less processor time than the deadline, the machine was busy (other processes, the
 * garbage collector) and the run counts as late, not failed; if it used more, or has not ended
 * after the grace period, the input failed (a hung thread cannot be stopped, so the lane gets
 * a new one). A throwable that escapes Main.run (it must catch everything) is reported with
 * its class.
 */
final class CheckRun implements AutoCloseable {
  /** What one run gave: exit code (-1: not ended after the grace period), what it printed, how long it took (wall, its thread's CPU). */
  record Result(int exit, String out, String err, long millis, long cpuMillis, Map<String, Family> files) {
    boolean timedOut() {
      return exit == -1;
    }
  }

  private static final long GRACE_MILLIS = 30_000;
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final Path dir;
  private final long deadlineMillis;
  private ExecutorService thread = newThread();

  CheckRun(Path dir, long deadlineMillis) {
    this.dir = dir;
    this.deadlineMillis = deadlineMillis;
  }

  private static ExecutorService newThread() {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "fuzz-check");
      t.setDaemon(true);
      return t;
    });
  }

  Result run(FuzzInput in) {
    List<String> args = new ArrayList<>(List.of("check"));
    Map<String, Family> files = new LinkedHashMap<>();
    byte[] stdin = new byte[0];
    try {
      if (in.files().size() == 1 && in.files().get(0).given().isPresent() && in.index() % 2 == 0) {
        // one file with its family given: read from standard input, as "iptables-save | ksaudit check -" does
        FuzzInput.File f = in.files().get(0);
        args.addAll(List.of(f.given().get() == Family.IPV4 ? "--ipv4" : "--ipv6", "-"));
        stdin = f.bytes();
        files.put("-", f.given().get());
      } else {
        for (FuzzInput.File f : in.files()) {
          Path p = dir.resolve("rules" + (f.byName() == Family.IPV4 ? ".v4" : ".v6"));
          Files.write(p, f.bytes());
          if (f.given().isPresent()) args.add(f.given().get() == Family.IPV4 ? "--ipv4" : "--ipv6");
          args.add(p.toString());
          files.put(p.toString(), f.given().orElse(f.byName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    args.addAll(in.options());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    byte[] input = stdin;
    long[] cpu = {-1};
    long start = System.nanoTime();
    Future<Integer> f = thread.submit(() -> {
      long c0 = THREADS.getCurrentThreadCpuTime();
      try {
        return Main.run(args.toArray(String[]::new), new ByteArrayInputStream(input), new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
      } finally {
        cpu[0] = (THREADS.getCurrentThreadCpuTime() - c0) / 1_000_000;
      }
    });
    int exit;
    try {
      try {
        exit = f.get(deadlineMillis, TimeUnit.MILLISECONDS);
      } catch (TimeoutException late) {
        exit = f.get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
      }
    } catch (TimeoutException e) {
      f.cancel(true);
      thread.shutdownNow();
      thread = newThread();
      exit = -1;
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      return new Result(-2, out.toString(StandardCharsets.UTF_8), "escaped Main.run: " + c, millis(start), cpu[0], files);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), millis(start), cpu[0], files);
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
