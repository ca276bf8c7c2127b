package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.StreamSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ksaudit.cli.Main;
import org.ksaudit.testsupport.ReportSchema;
import org.ksaudit.testsupport.Host;

/**
 * The namespace lab end to end, through {@code ksaudit probe --lab --format json}: the
 * article's leaks are measured, hardened killswitches leak nothing and keep their VPN
 * working, the engine agrees with the kernel, and nothing is left behind.
 */
class ProbeLabTest {
  private static final Map<String, Run> RUNS = new ConcurrentHashMap<>();
  private static Snapshot before;

  record Run(int exit, JsonNode report, String stderr) {
    List<JsonNode> probes(String scenario) {
      for (JsonNode s : report.get("scenarios")) {
        if (text(s, "name").equals(scenario)) return StreamSupport.stream(s.get("probes").spliterator(), false).toList();
      }
      throw new AssertionError("no scenario " + scenario);
    }

    long leaks(String scenario) {
      for (JsonNode s : report.get("scenarios")) if (text(s, "name").equals(scenario)) return s.get("leaks").longValue();
      throw new AssertionError("no scenario " + scenario);
    }

    boolean leaked(String scenario, Predicate<JsonNode> probe) {
      return probes(scenario).stream().filter(probe).anyMatch(p -> text(p, "result").equals("leaked"));
    }

    List<String> notes(String scenario) {
      for (JsonNode s : report.get("scenarios")) {
        if (text(s, "name").equals(scenario)) return StreamSupport.stream(s.get("notes").spliterator(), false).map(JsonNode::asText).toList();
      }
      throw new AssertionError("no scenario " + scenario);
    }

    List<String> scenarios() {
      return StreamSupport.stream(report.get("scenarios").spliterator(), false).map(s -> text(s, "name")).toList();
    }

    JsonNode baseline() {
      return report.get("baseline");
    }

    long disagreements() {
      return report.get("summary").get("disagreements").longValue();
    }

    String describeLeaks() {
      List<String> out = new ArrayList<>();
      for (JsonNode s : report.get("scenarios")) {
        for (JsonNode m : s.get("probes")) {
          if (text(m, "result").equals("leaked") || m.get("disagreement").booleanValue()) {
            out.add(text(s, "name") + ": " + text(m, "proto") + " " + text(m, "dst") + ":" + m.get("dport") + " out " + text(m, "oif")
                + " " + text(m, "result") + " predicted " + text(m, "predicted"));
          }
        }
      }
      return String.join("\n", out);
    }
  }

  /** What must look the same before and after a run: namespaces and the lab's processes. */
  record Snapshot(Set<String> namespaces, Set<String> processes, Set<String> scratch) {}

  static Snapshot snapshot() throws IOException {
    // other ksaudit processes on a developer's machine may come and go: their labs are not ours
    Set<String> ns = Stream.of(Exec.run("ip", "netns", "list").stdout().split("\n")).map(l -> l.strip().split("\\s+")[0])
        // "".split gives one empty name when there are none: it must not count as a namespace
        .filter(n -> !n.isEmpty() && !ownedByAnotherLiveProcess(n)).collect(Collectors.toCollection(TreeSet::new));
    // by executable name, not by substring: "ksaudit check hardened-openvpn.v4" is not a VPN process
    // but not another JVM's: the test suite may run a second one with labs of its own (an orphan counts)
    Set<String> procs = ProcessHandle.allProcesses().filter(p -> !descendsFromAnotherJvm(p))
        .filter(p -> p.info().command().map(c -> c.endsWith("/openvpn") || c.endsWith("/wireguard-go")).orElse(false)
            || p.info().commandLine().map(c -> c.contains(LabServices.class.getName())
                || c.contains(ClientProber.class.getName())).orElse(false))
        .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
        .collect(Collectors.toCollection(TreeSet::new));
    Set<String> scratch;
    try (Stream<Path> s = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      scratch = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(ScratchDir.PREFIX))
          .filter(n -> !ownedByAnotherLiveProcess(Netns.PREFIX + n.substring(ScratchDir.PREFIX.length())))
          .collect(Collectors.toCollection(TreeSet::new));
    }
    return new Snapshot(ns, procs, scratch);
  }

  static boolean descendsFromAnotherJvm(ProcessHandle p) {
    long self = ProcessHandle.current().pid();
    for (Optional<ProcessHandle> q = p.parent(); q.isPresent(); q = q.get().parent()) {
      if (q.get().pid() == self) return false;
      if (q.get().info().command().map(c -> c.endsWith("/java")).orElse(false)) return true;
    }
    return false;
  }

  static boolean ownedByAnotherLiveProcess(String name) {
    if (!name.startsWith(Netns.PREFIX)) return false;
    try {
      long pid = Long.parseLong(name.substring(Netns.PREFIX.length()).split("-")[0]);
      return pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  @BeforeAll
  static void requireLab() throws IOException {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "python3", "openvpn", "openssl", "wireguard-go", "wg");
    before = snapshot();
  }

  static Run probe(String... args) {
    return RUNS.computeIfAbsent(String.join(" ", args), k -> {
      List<String> a = new ArrayList<>(List.of("probe", "--lab", "--format", "json"));
      a.addAll(List.of(args));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = Main.run(a.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
      String json = out.toString(StandardCharsets.UTF_8);
      String e = err.toString(StandardCharsets.UTF_8);
      if (json.isBlank()) throw new AssertionError("probe " + k + " printed no report (exit " + code + "):\n" + e);
      JsonNode report = ReportSchema.parse(json);
      // a lab that could not run prints an error document: say why, rather than fail later on a missing field
      if (report.has("error")) throw new AssertionError("probe " + k + " failed (exit " + code + "): " + report.get("error") + "\n" + e);
      return new Run(code, report, e);
    });
  }

  /** A field as text ("null" when it is null), so that tests compare it with equals. */
  static String text(JsonNode node, String field) {
    return node.get(field).asText();
  }

  private static Predicate<JsonNode> to(String proto, String dst, int dport) {
    return p -> text(p, "proto").equals(proto) && text(p, "dst").equals(dst) && p.get("dport").intValue() == dport;
  }

  @Test
  void articleLeaksAreMeasured() throws IOException {
    Run r = probe("testdata/seed/article.v4");
    assertEquals(1, r.exit(), r.stderr());
    assertTrue(r.baseline().get("works").booleanValue(), "baseline: " + r.baseline());
    assertEquals("203.0.113.10", text(r.baseline(), "webShows"));
    // DNS to the article's VPN resolver goes out eth0 in clear once the tunnel is gone
    assertTrue(r.leaked("tunnel-down", to("udp", "10.45.16.1", 53).and(p -> "eth0".equals(text(p, "oif")))), r.describeLeaks());
    // the VPN port is open to any host, not only the server
    assertTrue(r.leaked("tunnel-down", to("udp", LabPlan.OTHER4, 1194)), r.describeLeaks());
    // the LAN exemption lets traffic to 192.168.1.0/24 out in clear, a remote host there included (LocalNet)
    assertTrue(r.leaked("tunnel-down", p -> text(p, "dst").startsWith("192.168.1.")), r.describeLeaks());
    assertTrue(r.leaked("localnet", to("tcp", "192.168.1.200", 80)), r.describeLeaks());
    // no IPv6 rules: IPv6 leaves in clear
    assertTrue(r.leaked("tunnel-down", p -> text(p, "family").equals("ipv6") && text(p, "dst").startsWith("2001:db8:100::")),
        r.describeLeaks());
    // what the killswitch does block: plain IPv4 to the internet without a tunnel
    assertFalse(r.leaked("tunnel-down", to("tcp", LabPlan.WEB4, 80)), r.describeLeaks());
  }

  /** The DNS request the client prober makes to the article's VPN resolver (not the witness packet forced out eth0). */
  private static final Predicate<JsonNode> VPN_DNS_REQUEST =
      to("udp", "10.45.16.1", 53).and(p -> text(p, "label").equals("DNS/udp to the VPN DNS"));

  /**
   * The new scenarios on the article's rules, whose leaks do not depend on how the tunnel went:
   * DNS to 10.45.16.1 is allowed on every interface, and there are no IPv6 rules.
   */
  @Test
  void theArticleLeaksInEveryWayATunnelFails() {
    Run r = probe("testdata/seed/article.v4");
    assertFalse(r.leaked("baseline", VPN_DNS_REQUEST), r.describeLeaks());
    // SIGKILL: tun0 and the def1 routes vanish, the host route to the server stays
    assertTrue(r.leaked("crash", VPN_DNS_REQUEST), r.describeLeaks());
    assertTrue(r.notes("crash").stream().anyMatch(n -> n.contains("left behind: 203.0.113.10 via")), String.valueOf(r.notes("crash")));
    // SIGKILL on a tun device made beforehand: the device and its def1 routes stay (linkdown) and still win, so the
    // resolver's routed request goes into a black hole; the witness sent out of eth0 itself still leaks
    assertFalse(r.leaked("crash-persistent-tun", VPN_DNS_REQUEST), r.describeLeaks());
    assertTrue(r.leaked("crash-persistent-tun", to("udp", "10.45.16.1", 53).and(p -> text(p, "label").startsWith("witness of"))),
        r.describeLeaks());
    assertTrue(r.notes("crash-persistent-tun").stream().anyMatch(n -> n.contains("NO-CARRIER") && n.contains("tun0 stays")),
        String.valueOf(r.notes("crash-persistent-tun")));
    assertTrue(r.notes("crash-persistent-tun").stream().anyMatch(n -> n.startsWith("routes through tun0 that stayed:") && n.contains("linkdown")),
        String.valueOf(r.notes("crash-persistent-tun")));
    // the window between the old routes going and the new ones coming lets the resolver's datagrams out; the web's are refused
    assertTrue(r.leaked("reconnect", to("udp", "10.45.16.1", 53)), r.describeLeaks() + "\n" + r.notes("reconnect"));
    assertFalse(r.leaked("reconnect", to("udp", LabPlan.WEB4, LabServices.ECHO)), r.describeLeaks());
    // option 121's /2 routes beat def1's /1s: the tunnel stays up and the resolver is reached around it
    assertTrue(r.leaked("tunnelvision", VPN_DNS_REQUEST), r.describeLeaks());
    assertTrue(r.notes("tunnelvision").stream().anyMatch(n -> n.contains("64.0.0.0/2 via 192.168.1.1 dev eth0")), String.valueOf(r.notes("tunnelvision")));
    assertTrue(r.notes("tunnelvision").stream().anyMatch(n -> n.startsWith("the killswitch trusts the routes")), String.valueOf(r.notes("tunnelvision")));
    // an IPv4-only tunnel and a rogue RA: IPv6 leaves in clear, the web page sees the SLAAC address
    assertTrue(r.leaked("ipv6-ra", to("tcp", LabPlan.WEB6, 80)), r.describeLeaks());
    assertFalse(r.leaked("ipv6-ra", to("tcp", LabPlan.WEB4, 80)), r.describeLeaks());
  }

  /**
   * The same crash on a host that ignores linkdown routes: the stale routes through the
   * persistent device no longer win, and the resolver's request leaves eth0 in clear as after a
   * plain crash (LAB-NOTES: 20/20 in clear).
   */
  @Test
  void ignoringLinkdownRoutesMakesAPersistentTunCrashLeak() {
    Run r = probe("--scenario", "crash-persistent-tun", "--sysctl", "testdata/lab/ignore-linkdown.sysctl", "testdata/seed/article.v4");
    assertTrue(r.leaked("crash-persistent-tun", VPN_DNS_REQUEST), r.describeLeaks());
    assertEquals(0L, r.disagreements(), r.describeLeaks());
  }

  static final String[] ARTICLE_WITH_SYSCTL = {"--scenario", "tunnel-down", "--sysctl", "testdata/seed/article.sysctl",
      "testdata/seed/article.v4", "testdata/seed/article.v6"};

  @Test
  void theArticlesSysctlSwitchesIpv6OffInTheClient() {
    Run r = probe(ARTICLE_WITH_SYSCTL);
    assertFalse(r.leaked("tunnel-down", p -> text(p, "family").equals("ipv6")), r.describeLeaks());
    assertTrue(r.probes("tunnel-down").stream().filter(p -> text(p, "family").equals("ipv6"))
        .allMatch(p -> text(p, "result").equals("not-sent")), "IPv6 probes should not get out at all");
    assertTrue(r.leaked("tunnel-down", to("udp", "10.45.16.1", 53)), r.describeLeaks());
  }

  @Test
  void hardenedOpenVpnLeaksNothingAndKeepsTheVpnWorking() {
    Run r = probe("testdata/lab/hardened-openvpn.v4", "testdata/lab/hardened-openvpn.v6");
    // every scenario runs by default
    assertEquals(List.of("baseline", "tunnel-down", "crash", "crash-persistent-tun", "reconnect", "localnet", "tunnelvision",
        "server-unreachable", "ipv6-ra"),
        r.scenarios());
    assertNoLeakAndWorkingBaseline(r);
    // the pushed routes send the traffic out eth0, where OUTPUT drops it: a denial of service, no leak
    assertTrue(r.notes("tunnelvision").stream().anyMatch(n -> n.startsWith("the killswitch holds")), String.valueOf(r.notes("tunnelvision")));
  }

  @Test
  void hardenedWireGuardLeaksNothingAndKeepsTheVpnWorking() {
    Run r = probe("--tunnel-kind", "wireguard", "testdata/lab/hardened-wireguard.v4", "testdata/lab/hardened-wireguard.v6");
    assertNoLeakAndWorkingBaseline(r);
  }

  @Test
  void wgQuickFwmarkKillswitchHoldsWhenTheTunnelDies() {
    Run r = probe("--tunnel-kind", "wireguard", "testdata/lab/wgquick-fwmark.v4", "testdata/lab/wgquick-fwmark.v6");
    assertEquals(0L, r.leaks("tunnel-down"), r.describeLeaks());
    assertTrue(r.baseline().get("works").booleanValue(), "baseline: " + r.baseline());
    for (String s : List.of("crash", "reconnect", "tunnelvision", "ipv6-ra")) assertEquals(0L, r.leaks(s), s + ":\n" + r.describeLeaks());
    // wg-quick's suppress_prefixlength 0 does not suppress the pushed /2s: the REJECT rule is what keeps the traffic in
    assertTrue(r.notes("tunnelvision").stream().anyMatch(n -> n.startsWith("the killswitch holds")), String.valueOf(r.notes("tunnelvision")));
    // its INPUT accepts the advertisement, so the route is there and OUTPUT's REJECT is what holds
    assertTrue(r.notes("ipv6-ra").stream().anyMatch(n -> n.contains("proto ra")), String.valueOf(r.notes("ipv6-ra")));
  }

  @Test
  void aKillswitchThatBlocksItsOwnVpnIsReported() {
    Run r = probe("--scenario", "baseline", "--endpoint", "203.0.113.20:1194/udp", "testdata/lab/hardened-openvpn.v4",
        "testdata/lab/hardened-openvpn.v6");
    assertEquals(1, r.exit());
    assertFalse(r.baseline().get("works").booleanValue());
    assertTrue(text(r.baseline(), "problem").contains("blocks the VPN's own packets"), "problem: " + r.baseline().get("problem"));
  }

  /**
   * OpenWrt's fw3 killswitch forwards the LAN to pppoe-wan when the tunnel is gone: the LAN
   * host's packets are measured leaving in clear out of pppoe-wan, as forward-leak (KS107)
   * says, its witness among them. The same run as the agreement test's, so no lab of its own.
   */
  @Test
  void openWrtForwardedLanTrafficIsMeasuredAndAgreesWithForwardLeak() {
    Run r = probe("--scenario", "tunnel-down", "testdata/killswitches/openwrt-pppoe.v4");
    Predicate<JsonNode> forwarded = p -> text(p, "label").startsWith("forwarded");
    List<JsonNode> lan = r.probes("tunnel-down").stream().filter(forwarded).toList();
    assertTrue(lan.size() >= 5, "web, two DNS, ICMP and the KS107 witness: " + lan);
    for (JsonNode p : lan) {
      assertEquals("leaked", text(p, "result"), String.valueOf(p));
      assertEquals("pppoe-wan", text(p, "oif"), String.valueOf(p));
      assertEquals("ACCEPT", text(p, "predicted"), String.valueOf(p));
    }
    assertTrue(lan.stream().anyMatch(p -> StreamSupport.stream(p.get("findings").spliterator(), false)
        .anyMatch(id -> id.asText().equals("KS107"))), String.valueOf(lan));
    assertEquals(0L, r.disagreements(), r.describeLeaks());
  }

  /** Docker's DOCKER-USER DROP holds: the container's packets are measured going nowhere, as the engine predicts. */
  @Test
  void dockerUserDropKeepsTheContainersTrafficIn() {
    Run r = probe("--scenario", "tunnel-down", "testdata/killswitches/docker-user-drop.v4");
    List<JsonNode> lan = r.probes("tunnel-down").stream().filter(p -> text(p, "label").startsWith("forwarded")).toList();
    assertEquals(4, lan.size(), String.valueOf(lan));
    for (JsonNode p : lan) {
      assertEquals("blocked", text(p, "result"), String.valueOf(p));
      assertEquals("DROP", text(p, "predicted"), String.valueOf(p));
    }
  }

  static void assertNoLeakAndWorkingBaseline(Run r) {
    assertTrue(r.baseline().get("works").booleanValue(), "baseline: " + r.baseline() + "\n" + r.stderr());
    assertEquals(text(r.baseline(), "exit"), text(r.baseline(), "webShows"));
    for (String s : r.scenarios()) {
      assertEquals(0L, r.leaks(s), s + ":\n" + r.describeLeaks());
    }
    assertEquals(0, r.exit(), r.stderr());
  }

  /**
   * Every killswitch in testdata/, through the lab, with the engine's prediction beside each
   * packet: the lab's own fixtures and the article in every scenario, the others in tunnel-down.
   */
  @Test
  void theEngineAgreesWithTheKernelOnEveryKillswitch() throws IOException {
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"testdata/seed/article.v4"});
    cases.add(ARTICLE_WITH_SYSCTL);
    cases.add(new String[] {"testdata/lab/hardened-openvpn.v4", "testdata/lab/hardened-openvpn.v6"});
    cases.add(new String[] {"--tunnel-kind", "wireguard", "testdata/lab/hardened-wireguard.v4", "testdata/lab/hardened-wireguard.v6"});
    cases.add(new String[] {"--tunnel-kind", "wireguard", "testdata/lab/wgquick-fwmark.v4", "testdata/lab/wgquick-fwmark.v6"});
    Path ks = Path.of("testdata/killswitches");
    if (Files.isDirectory(ks)) {
      try (Stream<Path> files = Files.list(ks)) {
        for (Path v4 : files.filter(f -> f.toString().endsWith(".v4")).sorted().toList()) {
          Path v6 = Path.of(v4.toString().replaceAll("\\.v4$", ".v6"));
          // the witnesses and the probe set once the tunnel is gone: where the engine's findings live
          List<String> a = new ArrayList<>(List.of("--scenario", "tunnel-down"));
          if (v4.getFileName().toString().matches(".*(wg|wireguard).*")) a.addAll(List.of("--tunnel-kind", "wireguard"));
          a.add(v4.toString());
          if (Files.exists(v6)) a.add(v6.toString());
          cases.add(a.toArray(String[]::new));
        }
      }
    }
    // labs are independent (own namespaces, own /run for wireguard-go) and mostly wait: three at a time
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(3);
    List<java.util.concurrent.Future<String>> results = new ArrayList<>();
    for (String[] c : cases) {
      results.add(pool.submit(() -> {
        Run r = probe(c);
        if (!text(r.report(), "predictions").equals("engine")) return String.join(" ", c) + ": " + r.report().get("predictions");
        if (r.disagreements() > 0) return String.join(" ", c) + ":\n" + r.describeLeaks();
        return "";
      }));
    }
    List<String> problems = new ArrayList<>();
    try {
      for (var f : results) {
        String p = f.get();
        if (!p.isEmpty()) problems.add(p);
      }
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new AssertionError(e);
    } finally {
      pool.shutdownNow();
    }
    assertTrue(problems.isEmpty(), cases.size() + " killswitches, " + problems.size() + " with problems:\n" + String.join("\n", problems));
  }

  @Test
  void nothingIsLeftBehind() throws IOException {
    probe("testdata/seed/article.v4");
    Snapshot after = snapshot();
    assertEquals(before, after);
    assertFalse(Files.exists(Path.of("/etc/netns")) && Files.list(Path.of("/etc/netns"))
        .anyMatch(p -> p.getFileName().toString().startsWith("ksa-" + ProcessHandle.current().pid() + "-")));
  }
}
