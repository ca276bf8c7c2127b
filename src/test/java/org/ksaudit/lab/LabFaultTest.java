package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.ksaudit.lab.ProbeLabTest.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ksaudit.testsupport.Host;
import org.ksaudit.testsupport.ReportSchema;

/**
 * The lab's faults, each with real {@code ksaudit} processes: the VPN killed during the
 * baseline, several runs at the same time, SIGKILL followed by {@code probe --cleanup}. The
 * expectations are stated rules: a hardened killswitch leaks nothing and keeps its VPN
 * working; the article's rules let DNS to the VPN resolver out in clear once the tunnel is
 * gone; the host never changes; nothing of a run is left after it or after its cleanup.
 */
class LabFaultTest {
  private static final String[] HARDENED_OPENVPN = {"--tunnel-kind", "openvpn", "testdata/lab/hardened-openvpn.v4", "testdata/lab/hardened-openvpn.v6"};
  private static final String[] HARDENED_WIREGUARD = {"--tunnel-kind", "wireguard", "testdata/lab/hardened-wireguard.v4", "testdata/lab/hardened-wireguard.v6"};
  private static final String[] WGQUICK = {"--tunnel-kind", "wireguard", "testdata/lab/wgquick-fwmark.v4", "testdata/lab/wgquick-fwmark.v6"};
  private static final String[] ARTICLE = {"--tunnel-kind", "openvpn", "testdata/seed/article.v4"};
  /** A whole run takes 30-40 s alone on a 2-core machine; two at once, or a loaded machine, take longer. */
  private static final long RUN_MILLIS = 400_000;

  @BeforeAll
  static void requireLab() {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "python3", "openvpn", "openssl", "wireguard-go", "wg");
  }

  private static String[] args(String[] head, String[] tail) {
    return Stream.concat(Stream.of(head), Stream.of(tail)).toArray(String[]::new);
  }

  private static String[] kindArgs(String kind) {
    return kind.equals("openvpn") ? HARDENED_OPENVPN : HARDENED_WIREGUARD;
  }

  private static ProbeLabTest.Run report(KsauditProcess p, int code) throws IOException {
    String json = p.stdout();
    if (json.isBlank()) throw new AssertionError("ksaudit " + p.pid() + " printed no report (exit " + code + "):\n" + p.stderr());
    return new ProbeLabTest.Run(code, ReportSchema.parse(json), p.stderr());
  }

  /**
   * The VPN client is SIGKILLed as soon as it exists, during the baseline of a killswitch
   * that otherwise keeps its VPN working: the baseline fails (exit 1) naming the process, how
   * it ended and its last log lines, within a bounded time, and nothing is left.
   */
  @ParameterizedTest
  @CsvSource({"openvpn, openvpn, the OpenVPN client openvpn-client-1", "wireguard, wireguard-go, the WireGuard client's wireguard-go"})
  void aVpnKilledDuringTheBaselineIsReported(String kind, String command, String named) throws Exception {
    HostState before = HostState.now();
    try (KsauditProcess run = KsauditProcess.start(args(new String[] {"probe", "--lab", "--format", "json", "--scenario", "baseline"}, kindArgs(kind)))) {
      assertTrue(run.awaitStderr(l -> l.contains("baseline: starting the VPN client"), RUN_MILLIS), run.stderr());
      long victim = awaitProcess(run, "client", command, 20_000)
          .orElseThrow(() -> new AssertionError("no " + command + " appeared in the client namespace:\n" + run.stderr()));
      ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
      double killedAt = run.seconds();
      int code = run.await(RUN_MILLIS);
      ProbeLabTest.Run r = report(run, code);
      assertEquals(1, code, run.stderr());
      assertFalse(r.baseline().get("works").booleanValue(), "baseline: " + r.baseline());
      String problem = text(r.baseline(), "problem");
      assertTrue(problem.contains(named), problem);
      assertTrue(problem.contains("killed by signal 9, SIGKILL"), problem);
      // killed as soon as it exists, the process may not have written a line yet: then the report says so
      assertTrue(problem.contains("its last log lines:\n") || problem.endsWith("; its log is empty"), problem);
      // the baseline's own bounds: 10 s for the VPN, 2.5 s per service probe, then teardown
      assertTrue(run.seconds() - killedAt < 60, "the run took " + (run.seconds() - killedAt) + " s after the kill");
      assertNothingLeftOf(run.pid(), Set.of());
    }
    assertEquals("", before.differences(HostState.now()));
  }

  /** A VPN that refuses its configuration ends at once; its own words are in the report's text. */
  @Test
  void aConfigurationTheVpnRejectsIsReportedInItsOwnWords() throws Exception {
    try (ScratchDir scratch = ScratchDir.create(); Netns ns = Netns.create("reject")) {
      LabProcess p = LabProcess.start("openvpn-client-1", ns, List.of("openvpn", "--dev", "tun0", "--no-such-option"), scratch.resolve("client.log"));
      assertTrue(p.awaitEnd(10_000), "openvpn did not refuse the option");
      String death = p.death("the OpenVPN client").orElseThrow();
      assertTrue(death.startsWith("the OpenVPN client openvpn-client-1 (pid " + p.pid() + ") ended with status 1;"), death);
      assertTrue(death.contains("Options error: Unrecognized option"), death);
    }
  }

  /**
   * Two WireGuard runs at once, both with {@code wg0}: each lab gets the results a run alone
   * gets (without a private /run the second wireguard-go finds wg0's socket taken and its
   * tunnel never comes up).
   */
  @Test
  void twoWireGuardLabsAtOnceBothUseWg0() throws Exception {
    Map<String, ProbeLabTest.Run> r = runTogether(Map.of("hardened WireGuard", HARDENED_WIREGUARD, "wg-quick fwmark", WGQUICK));
    ProbeLabTest.assertNoLeakAndWorkingBaseline(r.get("hardened WireGuard"));
    ProbeLabTest.Run wg = r.get("wg-quick fwmark");
    assertTrue(wg.baseline().get("works").booleanValue(), "baseline: " + wg.baseline() + "\n" + wg.stderr());
    assertEquals(0L, wg.leaks("tunnel-down"), wg.describeLeaks());
  }

  /** An OpenVPN and a WireGuard run at once, a leaky killswitch beside a hardened one: neither sees the other's rules. */
  @Test
  void anOpenVpnAndAWireGuardLabAtOnce() throws Exception {
    Map<String, ProbeLabTest.Run> r = runTogether(Map.of("article", ARTICLE, "hardened WireGuard", HARDENED_WIREGUARD));
    ProbeLabTest.assertNoLeakAndWorkingBaseline(r.get("hardened WireGuard"));
    ProbeLabTest.Run article = r.get("article");
    assertEquals(1, article.exit(), article.stderr());
    assertTrue(article.baseline().get("works").booleanValue(), "baseline: " + article.baseline());
    assertTrue(article.leaked("tunnel-down", p -> text(p, "proto").equals("udp") && text(p, "dst").equals("10.45.16.1")
        && p.get("dport").intValue() == 53 && "eth0".equals(text(p, "oif"))), article.describeLeaks());
  }

  /**
   * Starts the runs at the same moment and reads their reports; while they run, the host's
   * interfaces never change and its /run/wireguard never gets a socket; after them nothing of
   * any run is left and the host is as before.
   */
  private static Map<String, ProbeLabTest.Run> runTogether(Map<String, String[]> cases) throws Exception {
    HostState before = HostState.now();
    Map<String, KsauditProcess> runs = new LinkedHashMap<>();
    Map<String, ProbeLabTest.Run> reports = new LinkedHashMap<>();
    try {
      for (var c : new TreeMap<>(cases).entrySet()) {
        // what these runs check is independence: the first two scenarios show it
        runs.put(c.getKey(), KsauditProcess.start(args(new String[] {"probe", "--lab", "--format", "json", "--scenario", "baseline",
            "--scenario", "tunnel-down"}, c.getValue())));
      }
      Set<String> hostLinks = new TreeSet<>();
      Set<String> sockets = new TreeSet<>();
      int samples = 0;
      long end = System.currentTimeMillis() + RUN_MILLIS;
      while (System.currentTimeMillis() < end && runs.values().stream().anyMatch(r -> ProcessHandle.of(r.pid()).map(ProcessHandle::isAlive).orElse(false))) {
        hostLinks.add(HostState.links());
        sockets.add(HostState.wireguardSockets());
        samples++;
        Thread.sleep(200);
      }
      for (var e : runs.entrySet()) reports.put(e.getKey(), report(e.getValue(), e.getValue().await(RUN_MILLIS)));
      assertEquals(Set.of(before.parts().get("links")), hostLinks, "the host's interfaces changed during the runs (" + samples + " samples)");
      assertEquals(Set.of(before.parts().get("/run/wireguard")), sockets, "a socket appeared in the host's /run/wireguard (" + samples + " samples)");
      for (KsauditProcess p : runs.values()) assertNothingLeftOf(p.pid(), Set.of());
    } finally {
      for (KsauditProcess p : runs.values()) p.close();
    }
    assertEquals("", before.differences(HostState.now()));
    return reports;
  }

  /**
   * A run SIGKILLed in the middle of a scenario leaves its namespaces, VPN, services and files;
   * {@code probe --cleanup} removes all of it, and the leftovers of other live runs stay.
   */
  @ParameterizedTest
  @CsvSource({"openvpn, openvpn", "wireguard, wireguard-go"})
  void sigkillMidRunThenCleanupLeavesNothing(String kind, String command) throws Exception {
    HostState before = HostState.now();
    Set<ProcessId> inside;
    List<String> namespaces;
    long pid;
    try (Netns live = Netns.create("alive");
         KsauditProcess run = KsauditProcess.start(args(new String[] {"probe", "--lab", "--format", "json"}, kindArgs(kind)))) {
      pid = run.pid();
      assertTrue(run.awaitStderr(l -> l.contains("] server-unreachable:"), RUN_MILLIS), run.stderr());
      // mid-scenario: the VPN client is being started again, beside the server and the services
      long vpn = awaitProcess(run, "client", command, 20_000)
          .orElseThrow(() -> new AssertionError("no " + command + " in the client namespace:\n" + run.stderr()));
      if (kind.equals("wireguard")) {
        // the daemon's socket is in its own /run (seen through /proc/PID/root), not the host's
        Path socket = Path.of("/proc/" + vpn + "/root/run/wireguard/wg0.sock");
        for (int i = 0; i < 200 && !Files.exists(socket); i++) Thread.sleep(25);
        assertTrue(Files.exists(socket), "wg0.sock in the daemon's /run");
        assertFalse(Files.exists(HostState.WIREGUARD_SOCKETS.resolve("wg0.sock")), "wg0.sock in the host's /run/wireguard");
      }
      namespaces = namespacesOf(run.pid());
      inside = new TreeSet<>();
      for (String ns : namespaces) inside.addAll(ProcessId.inNamespace(ns));
      ProcessHandle.of(run.pid()).ifPresent(h -> h.descendants().forEach(d -> ProcessId.of(d.pid()).ifPresent(inside::add)));
      run.sigkill();
      assertEquals(3, namespaces.size(), "client, router and internet namespaces: " + namespaces);
      assertTrue(inside.size() >= 3, "VPN server and client, services: " + inside);
      Thread.sleep(500);
      assertFalse(namespacesOf(pid).isEmpty(), "the killed run left nothing to clean up: the test did not kill it mid-run");

      try (KsauditProcess cleanup = KsauditProcess.start("probe", "--cleanup")) {
        assertEquals(0, cleanup.await(60_000), cleanup.stderr());
        String out = cleanup.stdout();
        for (String ns : namespaces) assertTrue(out.contains("removed " + ns), out);
      }
      assertTrue(Exec.run("ip", "netns", "list").stdout().contains(live.name()), "--cleanup removed a live run's namespace");
      assertNothingLeftOf(pid, inside);
    }
    assertEquals("", before.differences(HostState.now()));
  }

  /** A process by pid and start time, so a pid used again later is not taken for it. */
  record ProcessId(long pid, String startTime) implements Comparable<ProcessId> {
    static Optional<ProcessId> of(long pid) {
      try {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // fields after the command: state is the 3rd of stat, starttime the 22nd
        if (f[0].equals("Z")) return Optional.empty();
        return Optional.of(new ProcessId(pid, f[19]));
      } catch (IOException e) {
        return Optional.empty();
      }
    }

    static List<ProcessId> inNamespace(String ns) {
      List<ProcessId> out = new ArrayList<>();
      for (String p : Exec.run("ip", "netns", "pids", ns).stdout().split("\\s+")) {
        if (p.matches("[0-9]+")) of(Long.parseLong(p)).ifPresent(out::add);
      }
      return out;
    }

    boolean running() {
      return of(pid).map(this::equals).orElse(false);
    }

    @Override
    public int compareTo(ProcessId o) {
      return Long.compare(pid, o.pid);
    }
  }

  /** Waits for a process named {@code command} in the run's namespace of that role; its pid. */
  private static Optional<Long> awaitProcess(KsauditProcess run, String role, String command, long millis) throws Exception {
    long end = System.currentTimeMillis() + millis;
    while (System.currentTimeMillis() < end) {
      for (String ns : namespacesOf(run.pid())) {
        if (!ns.endsWith("-" + role)) continue;
        for (ProcessId p : ProcessId.inNamespace(ns)) {
          try {
            if (Files.readString(Path.of("/proc/" + p.pid() + "/comm")).strip().equals(command)) return Optional.of(p.pid());
          } catch (IOException e) {
            // it ended between the listing and the read
          }
        }
      }
      Thread.sleep(20);
    }
    return Optional.empty();
  }

  private static List<String> namespacesOf(long pid) throws IOException {
    String prefix = Netns.PREFIX + pid + "-";
    if (!Files.isDirectory(Path.of("/run/netns"))) return List.of();
    try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
      return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
    }
  }

  /**
   * Nothing of the run {@code pid} exists: no namespace (by ip(8) and in /run/netns), no mount
   * naming one, no /etc/netns directory, no scratch directory, none of {@code processes} (a
   * zombie is gone: it only waits for its parent), no process whose command line names the
   * run's scratch directory (VPN configurations, keys).
   */
  static void assertNothingLeftOf(long pid, Set<ProcessId> processes) throws Exception {
    String prefix = Netns.PREFIX + pid + "-";
    String scratch = ScratchDir.PREFIX + pid + "-";
    // killed processes may take a moment to be reaped
    long end = System.currentTimeMillis() + 5_000;
    List<ProcessId> running = processes.stream().filter(ProcessId::running).toList();
    while (!running.isEmpty() && System.currentTimeMillis() < end) {
      Thread.sleep(100);
      running = processes.stream().filter(ProcessId::running).toList();
    }
    assertEquals(List.of(), running, "processes of the run still running");
    assertFalse(Exec.run("ip", "netns", "list").stdout().contains(prefix), "namespaces left");
    assertEquals(List.of(), namespacesOf(pid), "names left in /run/netns");
    assertEquals(List.of(), Files.readAllLines(Path.of("/proc/mounts")).stream().filter(l -> l.contains(prefix) || l.contains(scratch)).toList(),
        "mounts left");
    Path etc = Path.of("/etc/netns");
    if (Files.isDirectory(etc)) {
      try (Stream<Path> s = Files.list(etc)) {
        assertEquals(List.of(), s.map(Path::toString).filter(n -> n.contains(prefix)).toList(), "/etc/netns directories left");
      }
    }
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertEquals(List.of(), s.map(Path::toString).filter(n -> n.contains(scratch)).toList(), "scratch directories left");
    }
    List<String> naming = ProcessHandle.allProcesses()
        .filter(h -> h.info().commandLine().map(c -> c.contains(scratch)).orElse(false))
        .map(h -> h.pid() + " " + h.info().commandLine().orElse("")).toList();
    assertEquals(List.of(), naming, "processes using the run's files");
  }
}
