package org.ksaudit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.ksaudit.cli.Main;

/**
 * {@code ksaudit} as its own process (a JVM on the test's class path), for what an in-process
 * run cannot show: a PATH of its own, SIGKILL, several runs at the same time. Its standard
 * output goes to a file; its standard error is read line by line as it comes.
 */
final class KsauditProcess implements AutoCloseable {
  private final Process process;
  private final Path stdout;
  private final List<String> stderr = new ArrayList<>();
  private final Thread reader;
  private final long started = System.nanoTime();

  private KsauditProcess(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
    this.reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) {
          synchronized (stderr) {
            stderr.add(line);
            stderr.notifyAll();
          }
        }
      } catch (IOException e) {
        // the process is gone; what was read is kept
      }
    }, "ksaudit-stderr");
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code ksaudit ARGS}; {@code env} entries replace the test's own (e.g. PATH). */
  static KsauditProcess start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    Path out = Files.createTempFile("ksaudit-test-out-", ".txt");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.environment().putAll(env);
    return new KsauditProcess(pb.start(), out);
  }

  static KsauditProcess start(String... args) throws IOException {
    return start(Map.of(), args);
  }

  long pid() {
    return process.pid();
  }

  /** The prefix of every namespace this run creates. */
  String namespacePrefix() {
    return Netns.PREFIX + pid() + "-";
  }

  /** Waits until a line of standard error satisfies {@code wanted}; false if the run ended or the time is up first. */
  boolean awaitStderr(Predicate<String> wanted, long millis) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    synchronized (stderr) {
      for (int seen = 0; ; ) {
        for (; seen < stderr.size(); seen++) if (wanted.test(stderr.get(seen))) return true;
        long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
        if (left <= 0 || (!process.isAlive() && !reader.isAlive())) return false;
        stderr.wait(Math.min(left, 100));
      }
    }
  }

  /** Waits for the end (at most {@code millis}) and returns the exit code; fails the test on a hang. */
  int await(long millis) throws InterruptedException {
    if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("ksaudit " + pid() + " did not end within " + millis + " ms:\n" + stderr());
    }
    reader.join(2_000);
    return process.exitValue();
  }

  /** Seconds since the start. */
  double seconds() {
    return (System.nanoTime() - started) / 1e9;
  }

  /** SIGKILL, as the OOM killer or {@code kill -9} would: no shutdown hook runs. */
  void sigkill() throws InterruptedException {
    ProcessHandle.of(pid()).ifPresent(ProcessHandle::destroyForcibly);
    if (!process.waitFor(10, TimeUnit.SECONDS)) throw new AssertionError("ksaudit " + pid() + " survived SIGKILL");
  }

  String stdout() throws IOException {
    return Files.readString(stdout, StandardCharsets.UTF_8);
  }

  String stderr() {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  /** SIGTERM, so a run a failed test leaves behind cleans its lab up with its shutdown hooks; SIGKILL after 30 s. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    Files.deleteIfExists(stdout);
  }
}
