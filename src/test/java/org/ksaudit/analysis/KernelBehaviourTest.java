package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.Finding;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.check.Witness;
import org.ksaudit.cli.Main;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Corpus;
import org.ksaudit.testsupport.Host;

/**
 * The kernel is the oracle: every ruleset in testdata/, seeded generated rulesets, and the real
 * VPN clients' killswitches of the external corpus when one is named ({@link Corpus}), is loaded
 * into a namespace with the real iptables-restore, probes chosen at the rules' boundaries (addresses and ports the rules name,
 * one off either side, random others; UDP, TCP SYN, ICMP echo; eth0, wlan0, tun0, wg0) are
 * sent, and what arrived is compared with the verdicts of {@code ksaudit trace --probes}.
 * Then every witness of the audit's findings is sent too: each must really leak.
 */
class KernelBehaviourTest {
  private static final List<String> INTERFACES = List.of("eth0", "wlan0", "tun0", "wg0");
  /** Probes compared on the repository's own rulesets and generated ones, whether a corpus is named or not. */
  private static final int MIN_PROBES = 10_000;
  /** Generated ruleset pairs (an IPv4 and an IPv6 file each), from a fixed seed. */
  private static final int GENERATED = 6;

  /** Where a case comes from; the floors count only what the repository holds or generates. */
  enum Origin {
    TESTDATA,
    GENERATED,
    CORPUS
  }

  /** A ruleset pair to load: an IPv4 and/or an IPv6 file. */
  record Case(String name, Origin origin, Optional<Path> v4, Optional<Path> v6) {}

  @Test
  void traceVerdictsAgreeWithTheKernelAndWitnessesLeak() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    Random rnd = new Random(7);
    List<Case> cases = cases();
    int total = 0;
    int fromRepository = 0;
    int uncertain = 0;
    int witnesses = 0;
    List<String> disagreements = new ArrayList<>();
    Map<String, String> refused = new TreeMap<>();
    try (PacketOracle oracle = PacketOracle.create(INTERFACES)) {
      for (Case c : cases) {
        List<Probe> probes = probes(c, rnd);
        Map<Probe, String> traced = trace(c, probes);
        Map<Probe, Boolean> arrived;
        try {
          arrived = oracle.run(text(c.v4()), text(c.v6()), probes);
        } catch (LabException e) {
          refused.put(c.name(), e.getMessage());
          continue;
        }
        for (Probe p : probes) {
          String line = traced.get(p);
          if (line.contains("uncertain:")) {
            uncertain++;
            continue;
          }
          boolean predicted = line.split("\\s+")[4].equals("ACCEPT");
          if (predicted != arrived.get(p)) disagreements.add(c.name() + ": " + line + "  (kernel: " + (arrived.get(p) ? "arrived" : "stopped") + ")");
          total++;
          if (c.origin() != Origin.CORPUS) fromRepository++;
        }
        List<Probe> leaks = witnessProbes(c);
        if (!leaks.isEmpty()) {
          Map<Probe, Boolean> got = oracle.run(text(c.v4()), text(c.v6()), leaks);
          for (Probe p : leaks) {
            if (!got.get(p)) disagreements.add(c.name() + ": witness " + p.traceLine() + " did not leak");
            witnesses++;
          }
        }
      }
    }
    System.out.printf("kernel behaviour: %d rulesets, %d probes compared, %d agree, %d uncertain skipped, %d witnesses replayed, "
        + "%d rulesets refused by the kernel %s%n", cases.size(), total, total - disagreements.size(), uncertain, witnesses,
        refused.size(), refused.keySet());
    System.out.println("kernel behaviour: " + breadth(cases, total - fromRepository, fromRepository));
    for (String d : disagreements.subList(0, Math.min(40, disagreements.size()))) System.out.println("  " + d);
    assertEquals(List.of(), disagreements);
    assertTrue(fromRepository >= MIN_PROBES, "only " + fromRepository + " probes compared on the repository's own rulesets");
    assertTrue(cases.stream().filter(c -> refused.containsKey(c.name())).allMatch(c -> c.origin() == Origin.CORPUS),
        "the repository's rulesets refused by the kernel: " + refused);
  }

  /** The log line on the corpus: how many cases and probes it added to the repository's. */
  static String breadth(List<Case> cases, int corpusProbes, int repositoryProbes) {
    long fromCorpus = cases.stream().filter(c -> c.origin() == Origin.CORPUS).count();
    return Corpus.describe(fromCorpus + " killswitch rulesets, " + corpusProbes + " probes") + "; repository: "
        + (cases.size() - fromCorpus) + " rulesets, " + repositoryProbes + " probes";
  }

  /**
   * Every pair of testdata/ that parses without errors, the generated pairs that do, and the
   * named corpus' killswitches.
   */
  static List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>(pairsUnder(Path.of("testdata"), Origin.TESTDATA));
    out.addAll(pairsUnder(generated(), Origin.GENERATED));
    for (Path dir : Corpus.part("killswitches").stream().toList()) out.addAll(pairsUnder(dir, Origin.CORPUS));
    return out;
  }

  /**
   * Seeded random rulesets of the whole OUTPUT path ({@link RandomRulesets}) written as pairs
   * random-NN.v4 and .v6 to a scratch directory, so the kernel judges rulesets no one wrote with
   * the engine in mind.
   */
  private static Path generated() throws IOException {
    Path dir = Files.createTempDirectory("ksaudit-generated");
    dir.toFile().deleteOnExit();
    Random rnd = new Random(2_026);
    for (int k = 0; k < GENERATED; k++) {
      for (Family f : Family.values()) {
        Path p = dir.resolve(String.format("random-%02d.%s", k, f == Family.IPV4 ? "v4" : "v6"));
        Files.writeString(p, new RandomRulesets(rnd, f, false).generate());
        p.toFile().deleteOnExit();
      }
    }
    return dir;
  }

  private static List<Case> pairsUnder(Path root, Origin origin) throws IOException {
    Map<String, Path[]> byName = new LinkedHashMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        String n = p.toString();
        Family f;
        if (n.endsWith(".v4")) f = Family.IPV4;
        else if (n.endsWith(".v6")) f = Family.IPV6;
        else continue;
        if (!clean(p, f)) continue;
        byName.computeIfAbsent(n.substring(0, n.length() - 3), k -> new Path[2])[f == Family.IPV4 ? 0 : 1] = p;
      }
    }
    List<Case> out = new ArrayList<>();
    byName.forEach((k, v) -> out.add(new Case(name(root, origin, k), origin, Optional.ofNullable(v[0]), Optional.ofNullable(v[1]))));
    return out;
  }

  /** A case's name: its path for testdata/ and the corpus, "generated/random-NN" for a generated pair. */
  private static String name(Path root, Origin origin, String stem) {
    return origin == Origin.GENERATED ? "generated/" + root.relativize(Path.of(stem)) : stem;
  }

  /** Files with syntax errors are the syntax tests' business: iptables-restore would refuse them. */
  private static boolean clean(Path p, Family f) throws IOException {
    String text = Files.readString(p);
    ParseResult r = RulesetParser.parse(p.toString(), text, f);
    return !r.hasErrors() && r.ruleset().ruleCount() < 5_000;
  }

  private static Optional<String> text(Optional<Path> p) throws IOException {
    return p.isPresent() ? Optional.of(Files.readString(p.get())) : Optional.empty();
  }

  private static Optional<Ruleset> ruleset(Optional<Path> p, Family f) throws IOException {
    if (p.isEmpty()) return Optional.empty();
    return Optional.of(RulesetParser.parse(p.get().toString(), Files.readString(p.get()), f).ruleset());
  }

  /** Probes at the rules' boundaries; each DNAT target is probed on every interface, so its neighbour entry exists. */
  static List<Probe> probes(Case c, Random rnd) throws IOException {
    Set<Probe> out = new LinkedHashSet<>();
    for (Family f : Family.values()) {
      Optional<Ruleset> rs = ruleset(f == Family.IPV4 ? c.v4() : c.v6(), f);
      Set<BigInteger> addrs = new LinkedHashSet<>();
      Set<Integer> ports = new LinkedHashSet<>(List.of(53, 443, 1194, 123, 51820));
      rs.ifPresent(r -> addBoundaries(r, addrs, ports));
      for (int i = 0; i < (rs.isPresent() ? 4 : 2); i++) addrs.add(randomAddress(f, rnd));
      List<BigInteger> usable = addrs.stream().filter(a -> probeable(f, a)).limit(rs.isPresent() ? 24 : 2).toList();
      List<Integer> portList = new ArrayList<>(ports);
      for (BigInteger a : usable) {
        String dst = IpText.format(f, a);
        for (String oif : INTERFACES) {
          for (int k = 0; k < 3; k++) {
            out.add(new Probe(f, "udp", dst, portList.get(rnd.nextInt(portList.size())), oif));
            out.add(new Probe(f, "tcp", dst, portList.get(rnd.nextInt(portList.size())), oif));
          }
          out.add(new Probe(f, "icmp", dst, -1, oif));
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static BigInteger randomAddress(Family f, Random rnd) {
    if (f == Family.IPV4) return new BigInteger(32, rnd);
    return IpText.parseV6("2001:db8::").orElseThrow().add(new BigInteger(64, rnd));
  }

  /** An address a probe can be sent to from the oracle: no multicast, loopback, link-local, or its own. */
  /** {@code ksaudit trace} of a case's rulesets with more options, run in-process; its output lines (exit 0 required). */
  static String[] traceBatch(Case c, List<String> options) {
    List<String> args = new ArrayList<>(List.of("trace"));
    if (c.v4().isPresent()) args.addAll(List.of("--ipv4", c.v4().get().toString()));
    if (c.v6().isPresent()) args.addAll(List.of("--ipv6", c.v6().get().toString()));
    args.addAll(options);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
        new PrintStream(err, true));
    assertEquals(0, code, c.name() + ": " + err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).split("\n");
  }

  /**
   * The values where a rule's verdict may change: every address and port the rules name, and
   * their neighbours (one below, one above), added to {@code addrs} and {@code ports}.
   */
  static void addBoundaries(Ruleset rs, Set<BigInteger> addrs, Set<Integer> ports) {
    Mentions m = Mentions.of(rs);
    for (BigInteger a : m.addresses()) {
      addrs.add(a);
      addrs.add(a.add(BigInteger.ONE));
      addrs.add(a.subtract(BigInteger.ONE));
    }
    for (int p : m.ports()) {
      ports.add(p);
      if (p > 0) ports.add(p - 1);
      if (p < 65535) ports.add(p + 1);
    }
  }

  static boolean probeable(Family f, BigInteger a) {
    if (a.signum() < 0 || a.bitLength() > f.bits()) return false;
    List<String> special = f == Family.IPV4
        ? List.of("0.0.0.0/8", "127.0.0.0/8", "224.0.0.0/3", "169.254.0.0/16", "198.18.0.0/15")
        : List.of("ff00::/8", "fe80::/10", "::/96", "::ffff:0:0/96", "2001:2::/48");
    for (String s : special) {
      String[] parts = s.split("/");
      Cidr c = new Cidr(f, IpText.parse(f, parts[0]).orElseThrow(), Integer.parseInt(parts[1]));
      if (c.contains(a)) return false;
    }
    return true;
  }

  /** {@code ksaudit trace --ipv4 A --ipv6 B --probes FILE}, in-process: probe -> its output line. */
  static Map<Probe, String> trace(Case c, List<Probe> probes) throws IOException {
    Path file = Files.createTempFile("ksaudit-probes", ".txt");
    try {
      StringBuilder sb = new StringBuilder();
      for (Probe p : probes) sb.append(p.traceLine()).append('\n');
      Files.writeString(file, sb.toString());
      String[] lines = traceBatch(c, List.of("--probes", file.toString()));
      assertEquals(probes.size(), lines.length, c.name());
      Map<Probe, String> m = new LinkedHashMap<>();
      for (int i = 0; i < probes.size(); i++) {
        assertTrue(lines[i].startsWith(probes.get(i).traceLine() + " "), lines[i]);
        m.put(probes.get(i), lines[i]);
      }
      return m;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The witnesses of the audit's definite findings, as probes the oracle can send. */
  static List<Probe> witnessProbes(Case c) throws IOException {
    List<Ruleset> rulesets = new ArrayList<>();
    ruleset(c.v4(), Family.IPV4).ifPresent(rulesets::add);
    ruleset(c.v6(), Family.IPV6).ifPresent(rulesets::add);
    Set<Probe> out = new LinkedHashSet<>();
    for (Finding f : KillswitchAudit.audit(rulesets, AuditOptions.defaults())) {
      if (f.witness().isEmpty() || !f.witness().get().replayable() || f.certainty() != org.ksaudit.check.Certainty.DEFINITE) continue;
      Witness w = f.witness().get();
      if (!INTERFACES.contains(w.oif()) || !probeable(w.family(), IpText.parse(w.family(), w.dst()).orElseThrow())) continue;
      out.add(new Probe(w.family(), w.proto(), w.dst(), w.dport(), w.oif()));
    }
    return new ArrayList<>(out);
  }
}
