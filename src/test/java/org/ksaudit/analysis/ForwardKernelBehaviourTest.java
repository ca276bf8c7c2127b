package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Host;

/**
 * The kernel is the oracle for forwarded packets: every ruleset of {@link KernelBehaviourTest}'s
 * cases (testdata/, generated, the named corpus' killswitches) with rules on the FORWARD path is
 * loaded into a namespace with forwarding on; probes from another host (UDP, TCP SYN, ICMP echo; IPv4 and
 * IPv6; from the default source or an address the rules name) arrive on an interface (or lo),
 * are routed out of another one or the same one, and what arrived behind it is compared with
 * the verdicts of {@code ksaudit trace --probes} with an IIF column.
 */
class ForwardKernelBehaviourTest {
  private static final List<String> INTERFACES = List.of("eth0", "wlan0", "tun0", "wg0", "docker0", "eth1", "virbr0");
  /** Input interfaces: the oracle's wires and lo (the kernel forwards what arrives there from a foreign source). */
  private static final List<String> INPUTS = List.of("eth0", "wlan0", "tun0", "wg0", "docker0", "eth1", "virbr0", "lo");
  /** Forwarded probes compared on the repository's own rulesets and generated ones, whether a corpus is named or not. */
  private static final int MIN_PROBES = 1_000;
  private static final int ADDRESSES = 10;

  @Test
  void forwardTraceVerdictsAgreeWithTheKernel() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    long started = System.nanoTime();
    Random rnd = new Random(11);
    List<KernelBehaviourTest.Case> cases = new ArrayList<>();
    for (KernelBehaviourTest.Case c : KernelBehaviourTest.cases()) if (onForwardPath(c)) cases.add(c);
    int total = 0;
    int fromRepository = 0;
    int uncertain = 0;
    Set<String> pairs = new LinkedHashSet<>();
    List<String> disagreements = new ArrayList<>();
    Map<String, String> refused = new TreeMap<>();
    try (PacketOracle oracle = PacketOracle.create(INTERFACES)) {
      for (KernelBehaviourTest.Case c : cases) {
        List<PacketOracle.Forwarded> probes = probes(c, rnd);
        Map<PacketOracle.Forwarded, String> traced = trace(c, probes);
        Map<PacketOracle.Forwarded, Boolean> arrived;
        try {
          arrived = oracle.runForwarded(text(c.v4()), text(c.v6()), probes);
        } catch (LabException e) {
          refused.put(c.name(), e.getMessage());
          continue;
        }
        for (PacketOracle.Forwarded p : probes) {
          String line = traced.get(p);
          if (line.contains("uncertain:")) {
            uncertain++;
            continue;
          }
          boolean predicted = line.split("\\s+")[5].equals("ACCEPT");
          if (predicted != arrived.get(p)) {
            disagreements.add(c.name() + ": from " + p.src() + ": " + line + "  (kernel: " + (arrived.get(p) ? "arrived" : "stopped") + ")");
          }
          pairs.add(p.iif() + ">" + p.probe().oif());
          total++;
          if (c.origin() != KernelBehaviourTest.Origin.CORPUS) fromRepository++;
        }
      }
    }
    System.out.printf("forward kernel behaviour: %d rulesets %s, %d forwarded probes compared, %d agree, %d uncertain skipped, "
        + "%d (in, out) interface pairs, %d rulesets refused by the kernel %s, %.1f s%n", cases.size(),
        cases.stream().map(KernelBehaviourTest.Case::name).toList(), total, total - disagreements.size(), uncertain, pairs.size(),
        refused.size(), refused.keySet(), (System.nanoTime() - started) / 1e9);
    System.out.println("forward kernel behaviour: " + KernelBehaviourTest.breadth(cases, total - fromRepository, fromRepository));
    for (String d : disagreements.subList(0, Math.min(40, disagreements.size()))) System.out.println("  " + d);
    assertEquals(List.of(), disagreements);
    assertTrue(fromRepository >= MIN_PROBES, "only " + fromRepository + " forwarded probes compared on the repository's own rulesets");
    assertTrue(cases.stream().filter(c -> refused.containsKey(c.name())).allMatch(c -> c.origin() == KernelBehaviourTest.Origin.CORPUS),
        "the repository's rulesets refused by the kernel: " + refused);
    assertTrue(cases.stream().filter(c -> c.name().startsWith("testdata/forward/")).count() >= 4, "the forward fixtures are missing");
  }

  /** Whether a ruleset pair has a rule in a chain a forwarded packet crosses. */
  static boolean onForwardPath(KernelBehaviourTest.Case c) throws IOException {
    for (Ruleset rs : rulesets(c)) {
      for (Path.Stage s : Path.FORWARD.stages()) {
        if (rs.table(s.table()).flatMap(t -> t.chain(s.chain())).map(ch -> !ch.rules().isEmpty()).orElse(false)) return true;
      }
    }
    return false;
  }

  private static List<Ruleset> rulesets(KernelBehaviourTest.Case c) throws IOException {
    List<Ruleset> out = new ArrayList<>();
    if (c.v4().isPresent()) out.add(parse(c.v4().get(), Family.IPV4));
    if (c.v6().isPresent()) out.add(parse(c.v6().get(), Family.IPV6));
    return out;
  }

  private static Ruleset parse(java.nio.file.Path p, Family f) throws IOException {
    return RulesetParser.parse(p.toString(), Files.readString(p), f).ruleset();
  }

  private static Optional<String> text(Optional<java.nio.file.Path> p) throws IOException {
    return p.isPresent() ? Optional.of(Files.readString(p.get())) : Optional.empty();
  }

  private static String defaultSource(Family f) {
    return f == Family.IPV4 ? "192.0.2.100" : "2001:db8::100";
  }

  /**
   * Probes at the rules' boundaries (addresses and ports they name, one off either side, random
   * others), each destination out of every interface, arriving on two interfaces chosen at
   * random (the output one among them now and then), from the default source or one the rules name.
   */
  static List<PacketOracle.Forwarded> probes(KernelBehaviourTest.Case c, Random rnd) throws IOException {
    Set<PacketOracle.Forwarded> out = new LinkedHashSet<>();
    for (Family f : Family.values()) {
      Optional<java.nio.file.Path> file = f == Family.IPV4 ? c.v4() : c.v6();
      Optional<Ruleset> rs = file.isPresent() ? Optional.of(parse(file.get(), f)) : Optional.empty();
      Set<BigInteger> addrs = new LinkedHashSet<>();
      Set<Integer> ports = new LinkedHashSet<>(List.of(53, 80, 443, 8080, 1194, 123, 51820));
      rs.ifPresent(r -> KernelBehaviourTest.addBoundaries(r, addrs, ports));
      for (int i = 0; i < 3; i++) addrs.add(randomAddress(f, rnd));
      String dflt = defaultSource(f);
      BigInteger dfltAddr = IpText.parse(f, dflt).orElseThrow();
      List<BigInteger> usable = addrs.stream().filter(a -> KernelBehaviourTest.probeable(f, a) && !a.equals(dfltAddr)).toList();
      List<BigInteger> dsts = new ArrayList<>(usable.subList(0, Math.min(ADDRESSES, usable.size())));
      // named sources: the rules' own addresses, so -s tests and their boundaries are crossed
      List<String> sources = new ArrayList<>(List.of(dflt));
      for (BigInteger a : usable) if (sources.size() < 3 && !dsts.contains(a)) sources.add(IpText.format(f, a));
      if (sources.size() < 3) for (BigInteger a : usable) if (sources.size() < 3 && !sources.contains(IpText.format(f, a))) sources.add(IpText.format(f, a));
      List<Integer> portList = new ArrayList<>(ports);
      for (BigInteger a : dsts) {
        String dst = IpText.format(f, a);
        for (String oif : INTERFACES) {
          List<String> ins = new ArrayList<>(List.of(INPUTS.get(rnd.nextInt(INPUTS.size())),
              rnd.nextInt(4) == 0 ? oif : INPUTS.get(rnd.nextInt(INPUTS.size()))));
          for (String iif : ins) {
            String src = rnd.nextInt(3) == 0 ? sources.get(rnd.nextInt(sources.size())) : dflt;
            if (src.equals(dst)) src = dflt;
            out.add(new PacketOracle.Forwarded(new Probe(f, "udp", dst, portList.get(rnd.nextInt(portList.size())), oif), iif, src));
            out.add(new PacketOracle.Forwarded(new Probe(f, "tcp", dst, portList.get(rnd.nextInt(portList.size())), oif), iif, src));
          }
          out.add(new PacketOracle.Forwarded(new Probe(f, "icmp", dst, -1, oif), ins.get(0), dflt));
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static BigInteger randomAddress(Family f, Random rnd) {
    if (f == Family.IPV4) return new BigInteger(32, rnd);
    return IpText.parseV6("2001:db8:1::").orElseThrow().add(new BigInteger(64, rnd));
  }

  /** {@code ksaudit trace --probes FILE --src S} once per source, in-process: probe -> its output line. */
  static Map<PacketOracle.Forwarded, String> trace(KernelBehaviourTest.Case c, List<PacketOracle.Forwarded> probes)
      throws IOException {
    Map<String, List<PacketOracle.Forwarded>> bySource = new LinkedHashMap<>();
    for (PacketOracle.Forwarded p : probes) bySource.computeIfAbsent(p.src(), k -> new ArrayList<>()).add(p);
    Map<PacketOracle.Forwarded, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, List<PacketOracle.Forwarded>> group : bySource.entrySet()) {
      java.nio.file.Path file = Files.createTempFile("ksaudit-fwd-probes", ".txt");
      try {
        StringBuilder sb = new StringBuilder();
        for (PacketOracle.Forwarded p : group.getValue()) sb.append(p.probe().traceLine()).append(' ').append(p.iif()).append('\n');
        Files.writeString(file, sb.toString());
        String[] lines = KernelBehaviourTest.traceBatch(c, List.of("--probes", file.toString(), "--src", group.getKey()));
        List<PacketOracle.Forwarded> ps = group.getValue();
        assertEquals(ps.size(), lines.length, c.name());
        for (int i = 0; i < ps.size(); i++) {
          assertTrue(lines[i].startsWith(ps.get(i).probe().traceLine() + " " + ps.get(i).iif() + " "), lines[i]);
          m.put(ps.get(i), lines[i]);
        }
      } finally {
        Files.deleteIfExists(file);
      }
    }
    return m;
  }
}
