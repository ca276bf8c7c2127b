package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;

/**
 * Every definite witness of every fixture, traced as {@code ksaudit trace} would (the lab's
 * source address, uid 0, no mark), is accepted and leaves through a non-tunnel interface:
 * the audit never shows a packet that does not leak.
 */
class WitnessReplayTest {
  @Test
  void everyDefiniteWitnessLeaksWhenTraced() {
    int replayed = 0;
    for (Fixtures.Pair p : Fixtures.pairs()) {
      List<Finding> findings = KillswitchAudit.audit(p.rulesets(), p.options());
      for (Finding f : findings) {
        if (f.witness().isEmpty() || !f.witness().get().replayable() || f.certainty() != Certainty.DEFINITE) continue;
        Witness w = f.witness().get();
        Optional<Ruleset> rs = p.rulesets().stream().filter(r -> r.family() == w.family()).findFirst();
        Tracer.Traced t = new Tracer(rs, List.of(w.oif())).trace(packet(w));
        assertEquals(Verdict.ACCEPT, t.verdict(), p.name() + ": " + f + "\n" + t.steps());
        assertTrue(!w.oif().startsWith("tun") && !w.oif().startsWith("wg") && !w.oif().equals("lo"), f.toString());
        replayed++;
      }
    }
    assertTrue(replayed >= 20, "replayed " + replayed);
  }

  static Packet packet(Witness w) {
    Family f = w.family();
    BigInteger src = IpText.parse(f, f == Family.IPV4 ? Witnesses.SOURCE_V4 : Witnesses.SOURCE_V6).orElseThrow();
    return Packet.outgoing(f, w.proto(), src, IpText.parse(f, w.dst()).orElseThrow(), Witnesses.SOURCE_PORT,
        Math.max(0, w.dport()), w.oif());
  }
}
