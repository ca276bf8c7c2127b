package org.ksaudit.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.Netns;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Host;
import org.ksaudit.testsupport.ReportSchema;

/**
 * {@code check --live} inside a network namespace set up as a host: rules loaded with the real
 * restore tools and nft, a dummy uplink with global addresses and default routes, and a
 * --root folder with resolv.conf, saved rules and units. What each finding claims is checked
 * against the stated facts it rests on, and the DNS-path witness is sent through the kernel;
 * scripts/collect-host-state run in the same namespace gives --from the same findings.
 */
class LiveHostKernelTest {
  private static final String LEAKY_V4 = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n";
  private static final String TIGHT_V4 = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\nCOMMIT\n";
  private static final String TIGHT_V6 = TIGHT_V4;
  /** TIGHT_V6 with its two allowances swapped: a reordering that changes nothing. */
  private static final String TIGHT_V6_REORDERED = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\nCOMMIT\n";
  /** LEAKY_V4 with HTTPS allowed on every interface as well. */
  private static final String LEAKIER_V4 = LEAKY_V4.replace("COMMIT", "-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT");

  @Test
  void aLeakyHostWithANativeTableAndNoSavedRules() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "ip6tables-nft-restore", "iptables-nft-save", "nft", "java");
    Path root = Files.createTempDirectory("ksaudit-live-");
    try (Netns ns = host()) {
      restore(ns, "iptables-nft-restore", LEAKY_V4);
      Exec.Result nft = ns.exec("table inet killswitch {\n chain outgoing { type filter hook output priority 10; policy accept; }\n}\n",
          30_000, "nft", "-f", "-");
      assertTrue(nft.ok(), nft.stderr());
      write(root, "etc/resolv.conf", "nameserver 127.0.0.53\nnameserver 192.0.2.53\n");
      write(root, "etc/iptables/rules.v4", LEAKIER_V4);
      List<JsonNode> f = findings(ns, "--live", "--root", root.toString());
      JsonNode dns = only(f, "KS116");
      JsonNode w = dns.get("witness");
      assertEquals(List.of("udp", "192.0.2.53", "53", "eth0"), List.of(w.get("proto").asText(), w.get("dst").asText(),
          w.get("dport").asText(), w.get("oif").asText()), "resolv.conf names 192.0.2.53, the default route takes it out of eth0; 127.0.0.53 stays on the host");
      List<String> dump = ns.exec("iptables-nft-save").stdout().lines().toList();
      assertTrue(dump.get(dns.get("line").intValue() - 1).contains("--dport 53 -j ACCEPT"), "the finding points at the DNS rule");
      assertEquals("possible", dns.get("certainty").asText(), "the native table's output hook may stop it");
      assertTrue((only(f, "KS114").get("message").asText()).contains("table inet killswitch"), only(f, "KS114").toString());
      assertTrue((only(f, "KS117").get("message").asText()).contains("2001:db8::10 on eth0"), "the IPv6 rules are empty");
      assertTrue((only(f, "KS118").get("message").asText()).contains("no enabled unit"),
          "IPv4 rules are saved but nothing restores them; the IPv6 tables hold nothing to save");
      JsonNode drift = only(f, "KS119");
      assertEquals("warning", drift.get("severity").asText(), "the saved rules let out HTTPS, which the live ones stop");
      JsonNode dw = drift.get("witness");
      assertEquals(List.of("tcp", "443"), List.of(dw.get("proto").asText(), dw.get("dport").asText()), drift.toString());
      assertEquals(0, count(f, "KS115"), "only the nf_tables backend holds rules");
      List<JsonNode> routes = f.stream().filter(x -> x.get("id").asText().equals("KS120")).toList();
      assertEquals(2, routes.size(), "a default route of each family leaves by eth0: " + routes);
      JsonNode rw = routes.stream().filter(x -> x.get("witness").get("family").asText().equals("ipv4")).findFirst().orElseThrow()
          .get("witness");
      assertEquals(List.of("udp", "203.0.113.10", "53", "eth0"), List.of(rw.get("proto").asText(), rw.get("dst").asText(),
          rw.get("dport").asText(), rw.get("oif").asText()), "only DNS gets out, to a destination no route but the default takes");
      // the kernel: the witness leaves eth0 with the rules loaded (the oracle's own namespaces, same rules)
      try (PacketOracle oracle = PacketOracle.create(List.of("eth0", "tun0"))) {
        Probe p = new Probe(Family.IPV4, "udp", "192.0.2.53", 53, "eth0");
        assertTrue(oracle.run(Optional.of(LEAKY_V4), Optional.empty(), List.of(p)).get(p), "the kernel lets the DNS witness out");
      }
    } finally {
      delete(root);
    }
  }

  @Test
  void aTightHostWhoseRulesABootRestoresAndASavedStateGivesTheSameFindings() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "ip6tables-nft-restore", "iptables-legacy-restore", "nft", "java", "sh");
    Path root = Files.createTempDirectory("ksaudit-live-");
    Path saved = Files.createTempDirectory("ksaudit-saved-");
    try (Netns ns = host()) {
      restore(ns, "iptables-nft-restore", TIGHT_V4);
      restore(ns, "ip6tables-nft-restore", TIGHT_V6);
      restore(ns, "iptables-legacy-restore", LEAKY_V4);
      ns.writeEtc("resolv.conf", "nameserver 10.8.0.1\n");
      write(root, "etc/resolv.conf", "nameserver 10.8.0.1\n");
      write(root, "etc/iptables/rules.v4", TIGHT_V4);
      write(root, "etc/iptables/rules.v6", TIGHT_V6_REORDERED);
      write(root, "lib/systemd/system/netfilter-persistent.service", "[Service]\nExecStart=/usr/sbin/netfilter-persistent start\n");
      write(root, "etc/systemd/system/multi-user.target.wants/netfilter-persistent.service", "");
      List<JsonNode> f = findings(ns, "--live", "--root", root.toString());
      assertEquals(0, count(f, "KS116"), "10.8.0.1 is routed through tun0 (10.8.0.0/24)");
      assertEquals(0, count(f, "KS117"), "the IPv6 rules let nothing out of eth0");
      assertEquals(0, count(f, "KS118"), "both families are saved and an enabled unit restores them");
      assertEquals(0, count(f, "KS119"), "the saved IPv6 rules only reorder the live ones");
      assertEquals(1, count(f, "KS115"), "iptables-legacy holds IPv4 rules as well");
      assertEquals(0, count(f, "KS120"), "the default routes leave by eth0, and the rules let out nothing but to lo and tun0");
      assertTrue((only(f, "KS115").get("message").asText()).contains("findings are those of iptables-nft-save"),
          "the nf_tables rules let less out: they are the ones audited");
      assertEquals(0, f.stream().filter(x -> x.get("severity").asText().equals("error")).count(), f.toString());
      // the collection script, run in the same namespace, gives --from the same findings as --live over the real root
      Exec.Result script = ns.exec(null, 60_000, "sh", Path.of("scripts/collect-host-state").toAbsolutePath().toString(), saved.toString());
      assertTrue(script.ok(), script.stderr());
      assertEquals(texts(findings(ns, "--live")), texts(findings(null, "--from", saved.toString())));
    } finally {
      delete(root);
      delete(saved);
    }
  }

  /** A wg-quick killswitch (marked packets and wg0 may leave) that also lets HTTPS out on every interface. */
  private static final String WG_LEAKY_V4 = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o wg0 -j ACCEPT\n-A OUTPUT -m mark --mark 0xca6c -j ACCEPT\n"
      + "-A OUTPUT -p tcp --dport 443 -j ACCEPT\nCOMMIT\n";

  /**
   * wg-quick's policy routing (Table = auto, FwMark = 0xca6c) on a tun device named wg0 (this
   * kernel has no wireguard module), uid 1000 sent to a table whose default is a blackhole, and an
   * unreachable rule: the routes the reader picks are those {@code ip route get} gives, with wg0
   * and once it is deleted; and KS120 names the main table's default route that takes root's
   * HTTPS once wg0 is gone, whose witness the kernel lets out.
   */
  @Test
  void policyRoutingAsWgQuickSetsItUp() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "ip6tables-nft-restore", "java");
    Path root = Files.createTempDirectory("ksaudit-live-");
    try (Netns ns = host()) {
      Exec.Result r = ns.ipBatch("tuntap add wg0 mode tun\nlink set wg0 up\naddr add 10.9.0.2/32 dev wg0\n"
          + "route add default dev wg0 table 51820\nrule add not fwmark 0xca6c table 51820\nrule add table main suppress_prefixlength 0\n"
          + "route add blackhole default table 100\nrule add uidrange 1000-1000 lookup 100 priority 32000\n"
          + "rule add to 198.51.100.0/24 unreachable priority 50\n");
      assertTrue(r.ok(), r.stderr());
      restore(ns, "iptables-nft-restore", WG_LEAKY_V4);
      restore(ns, "ip6tables-nft-restore", TIGHT_V6);
      List<String[]> asked = List.of(new String[] {"203.0.113.10", "0", "0"}, new String[] {"203.0.113.10", "0xca6c", "0"},
          new String[] {"203.0.113.10", "0", "1000"}, new String[] {"192.0.2.53", "0", "0"}, new String[] {"198.51.100.1", "0", "0"},
          new String[] {"10.8.0.1", "0", "0"});
      for (boolean wgGone : List.of(false, true)) {
        if (wgGone) assertTrue(ns.exec("ip", "link", "del", "wg0").ok());
        HostState host = new HostState("ns", List.of(), List.of(), org.ksaudit.check.Sysctl.empty(), List.of(),
            HostStateReader.routes(ns.exec("ip", "-j", "-4", "route", "show", "table", "all").stdout(), Family.IPV4),
            HostStateReader.policyRules(ns.exec("ip", "-j", "-4", "rule", "show").stdout(), Family.IPV4), List.of(), List.of(), List.of(),
            List.of());
        for (String[] a : asked) {
          Exec.Result get = ns.exec("ip", "-j", "route", "get", a[0], "mark", a[1], "uid", a[2]);
          Optional<String> kernel = get.ok() ? Optional.of(new com.fasterxml.jackson.databind.ObjectMapper().readTree(get.stdout()).get(0).get("dev").asText()) : Optional.empty();
          List<Routing.Decision> d = Routing.lookup(host, Family.IPV4, org.ksaudit.model.value.IpText.parse(Family.IPV4, a[0]).orElseThrow(),
              Long.decode(a[1]), Long.parseLong(a[2]), dev -> false);
          assertEquals(1, d.size(), String.join(" ", a) + ": " + d);
          assertEquals(kernel, d.get(0).device(), String.join(" ", a) + (wgGone ? " without wg0" : " with wg0") + ": " + get.stderr());
        }
      }
      restoreWg(ns);
      List<JsonNode> f = findings(ns, "--live", "--root", root.toString());
      JsonNode route = only(f, "KS120");
      JsonNode w = route.get("witness");
      assertEquals(List.of("tcp", "203.0.113.10", "443", "eth0"), List.of(w.get("proto").asText(), w.get("dst").asText(),
          w.get("dport").asText(), w.get("oif").asText()), route.toString());
      assertTrue(route.get("message").asText().contains("policy rule 32766: from all lookup main"), route.toString());
      assertEquals("definite", route.get("certainty").asText());
      try (PacketOracle oracle = PacketOracle.create(List.of("eth0", "wg0"))) {
        Probe p = new Probe(Family.IPV4, "tcp", "203.0.113.10", 443, "eth0");
        assertTrue(oracle.run(Optional.of(WG_LEAKY_V4), Optional.empty(), List.of(p)).get(p), "the kernel lets the witness out");
      }
    } finally {
      delete(root);
    }
  }

  /** wg0 back, as the live audit reads a host whose tunnel is up. */
  private static void restoreWg(Netns ns) {
    Exec.Result r = ns.ipBatch("tuntap add wg0 mode tun\nlink set wg0 up\nroute add default dev wg0 table 51820\n");
    assertTrue(r.ok(), r.stderr());
  }

  /**
   * A namespace with an uplink eth0 (a veth whose peer lies in a namespace of its own, as this
   * kernel has no dummy links) holding global IPv4 and IPv6 addresses and default routes, and a
   * tunnel tun0; the peer namespace goes with the host's {@link #peer}.
   */
  private static Netns host() throws Exception {
    Netns ns = Netns.create("live");
    Netns peer = Netns.create("livepeer");
    PEERS.add(peer);
    Exec.Result link = Exec.run("ip", "link", "add", "eth0", "netns", ns.name(), "type", "veth", "peer", "name", "p0", "netns", peer.name());
    assertTrue(link.ok(), link.stderr());
    Exec.Result r = ns.ipBatch("link set eth0 up\naddr add 192.0.2.10/24 dev eth0\n"
        + "addr add 2001:db8::10/64 dev eth0 nodad\nroute add default via 192.0.2.1\nroute add ::/0 via 2001:db8::1\n"
        + "tuntap add tun0 mode tun\nlink set tun0 up\naddr add 10.8.0.2/24 dev tun0\n");
    assertTrue(r.ok(), r.stderr());
    return ns;
  }

  private static final List<Netns> PEERS = new ArrayList<>();

  @org.junit.jupiter.api.AfterEach
  void closePeers() {
    PEERS.forEach(Netns::close);
    PEERS.clear();
  }

  private static void restore(Netns ns, String tool, String rules) {
    // the legacy lock file lives in /run, shared with every other test's namespaces: wait for it
    Exec.Result r = tool.contains("legacy") ? ns.exec(rules, 60_000, tool, "--wait=60") : ns.exec(rules, 30_000, tool);
    assertTrue(r.ok(), tool + ": " + r.stderr());
  }

  /** The findings of ksaudit run as a separate process, inside the namespace when one is given. */
  private static List<JsonNode> findings(Netns ns, String... args) {
    List<String> cmd = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path"), "org.ksaudit.cli.Main", "check"));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("--format", "json"));
    Exec.Result r = ns == null ? Exec.run(cmd, null, 120_000) : ns.exec(null, 120_000, cmd.toArray(String[]::new));
    assertTrue(r.exitCode() == 0 || r.exitCode() == 1, "exit " + r.exitCode() + ": " + r.stderr() + r.stdout());
    return StreamSupport.stream(ReportSchema.parse(r.stdout()).get("findings").spliterator(), false).toList();
  }

  private static List<String> texts(List<JsonNode> findings) {
    return findings.stream().map(f -> f.get("id").asText() + " " + f.get("certainty").asText() + " " + f.get("message").asText()).toList();
  }

  private static long count(List<JsonNode> findings, String id) {
    return findings.stream().filter(f -> f.get("id").asText().equals(id)).count();
  }

  private static JsonNode only(List<JsonNode> findings, String id) {
    List<JsonNode> m = findings.stream().filter(f -> f.get("id").asText().equals(id)).toList();
    assertEquals(1, m.size(), id + " in " + findings);
    return m.get(0);
  }

  private static void write(Path root, String path, String text) throws Exception {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private static void delete(Path dir) throws Exception {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
