package org.ksaudit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A long-running program of the lab (VPN server or client, services) started inside a
 * namespace, its output going to a log file. It is killed on close and by a shutdown hook;
 * deleting its namespace kills it too.
 */
public final class LabProcess implements AutoCloseable {
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(LabProcess::kill), "ksaudit-process-cleanup"));
  }

  private final String name;
  private final Process process;
  private final Path log;

  private LabProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code ns} with stdout and stderr appended to {@code log}. */
  public static LabProcess start(String name, Netns ns, List<String> command, Path log) throws LabException {
    if (Netns.shuttingDown()) throw new LabException("shutting down: " + name + " is not started");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    cmd.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.PIPE);
    try {
      Process p = pb.start();
      LIVE.add(p);
      return new LabProcess(name, p, log);
    } catch (IOException e) {
      throw new LabException("cannot start " + name + " (" + command.get(0) + "): " + e.getMessage());
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of the log, for error messages. */
  public String logTail(int lines) {
    List<String> all = logText().lines().toList();
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  /**
   * Waits until the log satisfies {@code ready} (true), the process ends or the time is up
   * (false).
   */
  public boolean awaitLog(Predicate<String> ready, long timeoutMillis) throws LabException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (System.nanoTime() < end) {
      if (ready.test(logText())) return true;
      if (!process.isAlive()) return ready.test(logText());
      sleep(25);
    }
    return false;
  }

  static void sleep(long millis) throws LabException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    }
  }

  /** SIGKILL, as a crash would: nothing gets a chance to clean up after itself. */
  public void kill() {
    kill(process);
  }

  private static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LIVE.remove(p);
  }

  @Override
  public void close() {
    kill();
  }
}
