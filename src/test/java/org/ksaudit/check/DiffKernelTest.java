package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.LeakScenario;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.testsupport.Host;

/**
 * The kernel as the oracle for {@code ksaudit diff}: every witness of a difference of the
 * fixtures in testdata/diff that a probe can send (the tunnel-gone scenario, a probe's shape)
 * is sent through a namespace holding each version: the version that lets it out must let it
 * reach the wire, the other must stop it.
 */
class DiffKernelTest {
  @Test
  void witnessesOfDifferencesLeaveExactlyThroughTheVersionThatLetsThemOut() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    // per ruleset file, each probe and whether that version must let it out
    Map<Path, Map<Probe, Boolean>> expected = new TreeMap<>();
    int letOut = 0;
    for (DiffFixtures.Case c : DiffFixtures.cases()) {
      for (Difference d : RulesetDiff.compare(List.of(c.before()), List.of(c.after()), AuditOptions.defaults()).differences()) {
        if (d.scenario() != LeakScenario.TUNNEL_GONE || d.witness().isEmpty() || !d.witness().get().replayable()) continue;
        Witness w = d.witness().get();
        Probe p = new Probe(w.family(), w.proto(), w.dst(), w.dport(), w.oif());
        Boolean was = expected.computeIfAbsent(d.letOut() ? c.newFile() : c.oldFile(), f -> new LinkedHashMap<>()).put(p, true);
        Boolean other = expected.computeIfAbsent(d.letOut() ? c.oldFile() : c.newFile(), f -> new LinkedHashMap<>()).put(p, false);
        assertTrue(was != Boolean.FALSE && other != Boolean.TRUE, c.name() + ": another fixture's difference says otherwise of " + p);
        if (d.letOut()) letOut++;
      }
    }
    List<Path> v4 = expected.keySet().stream().filter(f -> !f.toString().endsWith(".v6")).toList();
    List<Path> v6 = expected.keySet().stream().filter(f -> f.toString().endsWith(".v6")).toList();
    List<String> disagreements = new ArrayList<>();
    int replayed = 0;
    try (PacketOracle oracle = PacketOracle.create(List.of("eth0", "wlan0", "tun0", "wg0"))) {
      // an IPv4 and an IPv6 file loaded together: one load of the namespace for both
      for (int i = 0; i < Math.max(v4.size(), v6.size()); i++) {
        Optional<Path> four = i < v4.size() ? Optional.of(v4.get(i)) : Optional.empty();
        Optional<Path> six = i < v6.size() ? Optional.of(v6.get(i)) : Optional.empty();
        Map<Probe, Boolean> want = new LinkedHashMap<>();
        Map<Probe, Path> from = new LinkedHashMap<>();
        for (Optional<Path> f : List.of(four, six)) {
          f.ifPresent(x -> expected.get(x).forEach((p, leaks) -> {
            want.put(p, leaks);
            from.put(p, x);
          }));
        }
        Map<Probe, Boolean> got = oracle.run(text(four), text(six), List.copyOf(want.keySet()));
        for (Map.Entry<Probe, Boolean> e : want.entrySet()) {
          replayed++;
          if (got.get(e.getKey()) != e.getValue()) {
            disagreements.add(from.get(e.getKey()).getFileName() + (e.getValue() ? " stopped " : " let out ") + e.getKey().traceLine());
          }
        }
      }
    }
    System.out.printf("diff kernel: %d witnesses of %d newly let out, replayed %d times in the two versions, %d disagreements%n",
        expected.values().stream().mapToLong(m -> m.values().stream().filter(b -> b).count()).sum(), letOut, replayed,
        disagreements.size());
    assertEquals(List.of(), disagreements);
    assertTrue(letOut >= 4 && replayed >= 9, "replayed " + replayed + ", newly let out " + letOut);
  }

  private static Optional<String> text(Optional<Path> file) throws java.io.IOException {
    return file.isEmpty() ? Optional.empty() : Optional.of(Files.readString(file.get()));
  }
}
