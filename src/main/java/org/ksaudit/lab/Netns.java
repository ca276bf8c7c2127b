package org.ksaudit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace that ksaudit created and will delete. Names are unique per process
 * ({@code ksa-<pid>-<n>-<role>}), so concurrent runs never collide, and every namespace
 * still alive at JVM exit is deleted by a shutdown hook. Nothing here touches the host's
 * own namespace.
 */
public final class Netns implements AutoCloseable {
  /** Prefix of every namespace ksaudit creates; {@code probe --cleanup} looks for it. */
  public static final String PREFIX = "ksa-";

  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();
  /** Names a thread is deleting right now: out of LIVE, not yet gone. */
  private static final Set<String> DELETING = ConcurrentHashMap.newKeySet();
  /** Where {@code ip netns exec} finds per-namespace files such as resolv.conf. */
  private static final Path ETC_NETNS = Path.of("/etc/netns");
  /** Where ip(8) keeps the namespaces' names. */
  private static final Path RUN_NETNS = Path.of("/run/netns");
  /** Set when the JVM shuts down: from then on no namespace may be created, or it would outlive the hook. */
  private static volatile boolean shuttingDown;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      // waits for a namespace being added right now, which is then in LIVE and deleted below
      synchronized (Netns.class) {
        shuttingDown = true;
      }
      deleteAllLive();
    }, "ksaudit-netns-cleanup"));
  }

  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Creates {@code ksa-<pid>-<n>-<role>}; role is a short word like "client" or "oracle". */
  public static Netns create(String role) throws LabException {
    String n = PREFIX + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + role;
    if (n.length() > 60) n = n.substring(0, 60);
    synchronized (Netns.class) {
      if (shuttingDown) throw new LabException("shutting down: no new namespace");
      Exec.Result r = Exec.run("ip", "netns", "add", n);
      if (!r.ok()) throw new LabException("cannot create network namespace " + n + ": " + r.firstLine());
      LIVE.add(n);
    }
    Netns ns = new Netns(n);
    // loopback up: services and probes on 127.0.0.1 need it, and it is the kernel's default elsewhere
    ns.execOrThrow("ip", "link", "set", "lo", "up");
    return ns;
  }

  public String name() {
    return name;
  }

  /** Runs a command inside the namespace. */
  public Exec.Result exec(String stdin, long timeoutMillis, String... command) {
    if (shuttingDown) return new Exec.Result(-1, "", "shutting down: nothing more runs in " + name);
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(command));
    return Exec.run(cmd, stdin, timeoutMillis);
  }

  public Exec.Result exec(String... command) {
    return exec(null, 30_000, command);
  }

  public Exec.Result execOrThrow(String... command) throws LabException {
    Exec.Result r = exec(command);
    if (!r.ok()) throw new LabException(String.join(" ", command) + " in " + name + " failed: " + r.firstLine());
    return r;
  }

  /** Runs many ip(8) commands in one process: {@code ip -n NS -batch -}. */
  public Exec.Result ipBatch(String lines) {
    if (shuttingDown) return new Exec.Result(-1, "", "shutting down: nothing more runs in " + name);
    return Exec.run(List.of("ip", "-n", name, "-batch", "-"), lines, 30_000);
  }

  /**
   * Writes {@code /etc/netns/NAME/FILE}, which {@code ip netns exec} bind-mounts over
   * {@code /etc/FILE} (e.g. resolv.conf); removed with the namespace.
   */
  public void writeEtc(String file, String content) throws LabException {
    try {
      Path dir = ETC_NETNS.resolve(name);
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new LabException("cannot write " + ETC_NETNS.resolve(name).resolve(file) + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    delete(name);
  }

  private static void delete(String n) {
    if (!LIVE.remove(n)) return;
    DELETING.add(n);
    try {
      remove(n);
    } finally {
      DELETING.remove(n);
    }
  }

  /**
   * Kills every process inside, deletes the name and its /etc/netns directory; true once the
   * name is gone. Bounded: about 3 s when a killed process is slow to go.
   */
  private static boolean remove(String n) {
    // processes started inside must be gone first, or the namespace lingers as a mount; twice
    // while shutting down, for one that was being started while the first round ran
    killAll(n);
    if (shuttingDown) {
      pause(100);
      killAll(n);
    }
    Exec.run("ip", "netns", "delete", n);
    // a process killed a moment ago may still pin the name (its mount namespace holds the
    // bind mount until it is reaped): try again until the name is gone
    for (int i = 0; i < 30 && Files.exists(RUN_NETNS.resolve(n)); i++) {
      pause(100);
      killAll(n);
      Exec.run("ip", "netns", "delete", n);
    }
    deleteEtc(n);
    return !Files.exists(RUN_NETNS.resolve(n));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGKILL to every process in the namespace, sent directly: no kill(1) needed on PATH. */
  private static void killAll(String n) {
    Exec.Result pids = Exec.run("ip", "netns", "pids", n);
    if (!pids.ok()) return;
    for (String pid : pids.stdout().split("\\s+")) {
      if (pid.matches("[0-9]+")) ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** True once the JVM is shutting down (Ctrl-C, SIGTERM, exit): the lab starts nothing new. */
  static boolean shuttingDown() {
    return shuttingDown;
  }

  private static void deleteEtc(String n) {
    Path dir = ETC_NETNS.resolve(n);
    if (!Files.isDirectory(dir)) return;
    try (var files = Files.walk(dir)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      // a file that cannot be removed is reported by the next probe --cleanup, which retries
    }
  }

  /** True for a name of ours ({@code ksa-<pid>-…}) whose creating process is no longer alive. */
  private static boolean ownerGone(String n) {
    if (!n.startsWith(PREFIX)) return false;
    try {
      long pid = Long.parseLong(n.substring(PREFIX.length()).split("-")[0]);
      return !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      // not one of ours after all: a foreign name that happens to share the prefix is left alone
      return false;
    }
  }

  static void deleteAllLive() {
    for (String n : List.copyOf(LIVE)) delete(n);
    // another thread (the lab closing after Ctrl-C) may be halfway through deleting one; the JVM
    // halts when this hook returns, not when that thread is done, so finish its work here too
    for (String n : List.copyOf(DELETING)) remove(n);
  }

  /**
   * Deletes namespaces left by ksaudit runs that were killed (their owner pid is gone), with
   * every process inside and their /etc/netns directories; what could not be removed goes to
   * {@code stuck}. Namespaces of live ksaudit processes and foreign names are left alone.
   */
  static void deleteLeftovers(List<String> removed, List<String> stuck) {
    Exec.Result r = Exec.run("ip", "netns", "list");
    if (!r.ok()) {
      stuck.add("the namespace list (ip netns list: " + r.firstLine() + ")");
      return;
    }
    for (String line : r.stdout().split("\n")) {
      String n = line.strip().split("\\s+")[0];
      if (!ownerGone(n)) continue;
      (remove(n) ? removed : stuck).add(n);
    }
    // resolv.conf directories of namespaces that are already gone
    if (Files.isDirectory(ETC_NETNS)) {
      try (var dirs = Files.list(ETC_NETNS)) {
        for (Path d : dirs.toList()) {
          String n = d.getFileName().toString();
          if (ownerGone(n) && !Files.exists(RUN_NETNS.resolve(n))) {
            deleteEtc(n);
            (Files.exists(d) ? stuck : removed).add(d.toString());
          }
        }
      } catch (IOException e) {
        stuck.add(ETC_NETNS + " (" + e.getMessage() + ")");
      }
    }
  }
}
