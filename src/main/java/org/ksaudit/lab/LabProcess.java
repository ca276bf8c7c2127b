package org.ksaudit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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

  /**
   * How the process ended, once it has: its exit status and, for a status above 128 (how Java
   * and sh report a death by signal), the signal.
   */
  public Optional<String> ended() {
    if (process.isAlive()) return Optional.empty();
    return Optional.of(endedWith(process.exitValue()));
  }

  /** "ended with status N", with the signal for a status above 128. */
  static String endedWith(int status) {
    String signal = status > 128 ? " (killed by signal " + (status - 128) + signalName(status - 128) + ")" : "";
    return "ended with status " + status + signal;
  }

  private static String signalName(int signal) {
    return switch (signal) {
      case 1 -> ", SIGHUP";
      case 2 -> ", SIGINT";
      case 6 -> ", SIGABRT";
      case 9 -> ", SIGKILL";
      case 11 -> ", SIGSEGV";
      case 15 -> ", SIGTERM";
      default -> "";
    };
  }

  /** Waits up to {@code millis} for the process to end; true if it has. */
  public boolean awaitEnd(long millis) throws LabException {
    try {
      return process.waitFor(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    }
  }

  /**
   * What a report says about a process of the lab that ended on its own: which one, how it
   * ended, its last log lines.
   */
  public Optional<String> death(String what) {
    String tail = logTail(6);
    return ended().map(how -> what + " " + name + " (pid " + pid() + ") " + how
        + (tail.isBlank() ? "; its log is empty" : "; its last log lines:\n" + tail.indent(4).stripTrailing()));
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

  /**
   * SIGTERM, as a service manager stops a program: it may clean up after itself (OpenVPN
   * removes its routes and device). SIGKILL if it has not ended after {@code graceMillis}.
   */
  public void terminate(long graceMillis) throws LabException {
    process.destroy();
    if (!awaitEnd(graceMillis)) kill(process);
    LIVE.remove(process);
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
