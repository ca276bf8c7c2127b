package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.AddrType;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;

/**
 * Every leak finding at warning or error of every fixture has a witness, and every definite
 * witness, traced with every field it carries (source address and port, ICMP type, TCP
 * flags, owner, state, mark, input interface; the lab's defaults for the rest), is accepted
 * and leaves through a non-tunnel interface: the audit never shows a packet that does not leak.
 */
class WitnessReplayTest {
  @Test
  void everyLeakHasAWitnessAndEveryDefiniteWitnessLeaksWhenTraced() {
    int replayed = 0;
    int withFields = 0;
    List<String> missing = new ArrayList<>();
    for (Fixtures.Pair p : Fixtures.pairs()) {
      List<Finding> findings = KillswitchAudit.audit(p.rulesets(), p.options());
      for (Finding f : findings) {
        boolean leak = !f.traffic().isEmpty() || f.category() == Category.IPV6_LEAK;
        if (leak && f.severity().atLeast(Severity.WARNING) && f.witness().isEmpty()) missing.add(p.name() + ": " + f);
        if (f.witness().isEmpty() || f.certainty() != Certainty.DEFINITE) continue;
        Witness w = f.witness().get();
        Optional<Ruleset> rs = p.rulesets().stream().filter(r -> r.family() == w.family()).findFirst();
        Tracer.Traced t = new Tracer(rs, List.of(w.oif())).trace(packet(w));
        assertEquals(Verdict.ACCEPT, t.verdict(), p.name() + ": " + f + "\n" + t.steps());
        assertTrue(!w.oif().startsWith("tun") && !w.oif().startsWith("wg") && !w.oif().equals("lo"), f.toString());
        replayed++;
        if (!w.replayable()) withFields++;
      }
    }
    assertEquals(List.of(), missing);
    assertTrue(replayed >= 20, "replayed " + replayed);
    assertTrue(withFields >= 5, "replayed only " + withFields + " witnesses beyond a probe's shape");
  }

  /** The packet a witness describes: its fields, and where it leaves one out the lab's probe defaults. */
  static Packet packet(Witness w) {
    Family f = w.family();
    boolean forwarded = !w.iif().isEmpty();
    String defaultSrc = forwarded ? (f == Family.IPV4 ? Witnesses.FORWARD_SOURCE_V4 : Witnesses.FORWARD_SOURCE_V6)
        : (f == Family.IPV4 ? Witnesses.SOURCE_V4 : Witnesses.SOURCE_V6);
    BigInteger src = IpText.parse(f, w.src().isEmpty() ? defaultSrc : w.src()).orElseThrow();
    BigInteger dst = IpText.parse(f, w.dst()).orElseThrow();
    int proto = switch (w.proto()) {
      case "tcp" -> Packet.TCP;
      case "udp" -> Packet.UDP;
      case "icmp" -> Packet.icmpProto(f);
      default -> Integer.parseInt(w.proto());
    };
    boolean ports = proto == Packet.TCP || proto == Packet.UDP;
    boolean icmp = proto == Packet.icmpProto(f);
    int flags = proto != Packet.TCP ? 0 : w.tcpFlags().isEmpty() ? Packet.SYN : flags(w.tcpFlags());
    return new Packet(f, proto, src, dst, ports ? (w.sport() < 0 ? Witnesses.SOURCE_PORT : w.sport()) : 0,
        ports ? w.dport() : 0, icmp ? (w.icmpType() < 0 ? Packet.echoRequest(f) : w.icmpType()) : 0, 0, flags, w.iif(),
        w.oif(), ConnState.valueOf(w.state()), w.mark(), 0, Math.max(0, w.uid()), Math.max(0, w.gid()), !forwarded, false,
        forwarded ? AddrType.UNICAST : AddrType.LOCAL, AddrType.classify(f, dst, src), Optional.empty());
  }

  private static int flags(String names) {
    List<String> all = List.of("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR");
    int out = 0;
    for (String n : names.split(",")) if (all.contains(n)) out |= 1 << all.indexOf(n);
    return out;
  }
}
