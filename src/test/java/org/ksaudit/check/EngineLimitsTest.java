package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/**
 * Rulesets beyond the engine's limits (nesting depth, rule visits per walk). Stated rule: a
 * limit is said once, as a warning at the jump where the engine stopped, and never becomes a
 * finding: every rule of these rulesets takes packets in the kernel (EngineLimitsKernelTest
 * shows it with the legacy backend's counters), so no unreachable or shadowed rule may be
 * reported, and what lies beyond the limit can only be a possible leak.
 */
class EngineLimitsTest {
  private static final AuditOptions NO_IPV6 = AuditOptions.defaults().withAbsentFamilies(Set.of(Family.IPV6));

  /**
   * Chains nested {@code n} jumps deep: OUTPUT -j C0, C0 -j C1, ..., the last accepts TCP out of
   * tun0, and C99, where the engine stops following jumps, accepts what comes back out of tun0.
   * The legacy backend loads it; nf_tables refuses 16 or more nested jumps ("Too many links").
   */
  static String nested(int n) {
    StringBuilder sb = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n");
    for (int i = 0; i < n; i++) sb.append(':').append('C').append(i).append(" - [0:0]\n");
    sb.append("-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -j C0\n");
    for (int i = 0; i < n - 1; i++) {
      sb.append("-A C").append(i).append(" -j C").append(i + 1).append('\n');
      if (i == 99) sb.append("-A C99 -o tun0 -j ACCEPT\n");
    }
    sb.append("-A C").append(n - 1).append(" -o tun0 -p tcp -j ACCEPT\n");
    return sb.append("COMMIT\n").toString();
  }

  /**
   * Fifteen levels (both backends load them), each jumping to the next from three rules with
   * different packets (two mark bits of its own, then the rest): 3^14 paths, far more rule
   * visits than the engine makes in one walk. Only TCP out of tun0 is accepted at the end.
   */
  static String fanOut() {
    StringBuilder sb = new StringBuilder("*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n");
    for (int i = 0; i < 15; i++) sb.append(":L").append(i).append(" - [0:0]\n");
    sb.append("-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -j L0\n");
    int bit = 0;
    for (int i = 0; i < 14; i++) {
      for (int k = 0; k < 2; k++, bit++) {
        String m = "0x" + Long.toHexString(1L << bit);
        sb.append("-A L").append(i).append(" -m mark --mark ").append(m).append('/').append(m).append(" -j L").append(i + 1).append('\n');
      }
      sb.append("-A L").append(i).append(" -j L").append(i + 1).append('\n');
    }
    sb.append("-A L14 -o tun0 -p tcp -j ACCEPT\n");
    return sb.append("COMMIT\n").toString();
  }

  static Ruleset parse(String name, String text) {
    ParseResult r = RulesetParser.parse(name, text, Family.IPV4);
    // iptables-legacy-restore loads these trees (measured: 101 and 100,000 levels); only nf_tables refuses 16 or more
    List<Diagnostic> others = r.diagnostics().stream()
        .filter(d -> d.severity() == Severity.ERROR && !d.message().contains("iptables-nft-restore refuses the table (Too many links"))
        .toList();
    assertTrue(others.isEmpty(), others.toString());
    return r.ruleset();
  }

  private static void assertOnlyPossibleLeaksAndOneNote(AuditResult r, String limitWords, int line) {
    for (Finding f : r.findings()) {
      assertTrue(f.category() != Category.UNREACHABLE_RULE && f.category() != Category.SHADOWED_RULE, f.toString());
      assertEquals(Certainty.POSSIBLE, f.certainty(), f.toString());
    }
    assertEquals(1, r.notes().size(), r.notes().toString());
    Diagnostic note = r.notes().get(0);
    assertEquals(Severity.WARNING, note.severity());
    assertEquals(line, note.pos().line(), note.toString());
    assertTrue(note.message().contains(limitWords), note.message());
  }

  @Test
  void chainsNestedDeeperThanTheEngineFollowsAreUnknownNotUnreachable() {
    Ruleset rs = parse("nested101.v4", nested(101));
    AuditResult r = KillswitchAudit.run(List.of(rs), NO_IPV6);
    // line 207: "-A C99 -j C100" (4 header lines, 101 chain lines, 2 OUTPUT rules, C0..C98, then C99's jump)
    assertOnlyPossibleLeaksAndOneNote(r, "chains nest deeper than 100 jumps", 4 + 101 + 2 + 99 + 1);
    assertTrue(r.notes().get(0).message().startsWith("the analysis does not follow -j C100 (filter/C99) here"), r.notes().toString());
  }

  @Test
  void withinTheDepthTheSameShapeIsExact() {
    AuditResult r = KillswitchAudit.run(List.of(parse("nested15.v4", nested(15))), NO_IPV6);
    assertEquals(List.of(), r.notes());
    assertEquals(List.of(), r.findings());
  }

  @Test
  void aHundredThousandNestedChainsEndQuicklyWithOneNote() {
    Ruleset rs = parse("nested100k.v4", nested(100_000));
    AuditResult r = assertTimeoutPreemptively(Duration.ofSeconds(120), () -> KillswitchAudit.run(List.of(rs), NO_IPV6));
    assertOnlyPossibleLeaksAndOneNote(r, "chains nest deeper than 100 jumps", 4 + 100_000 + 2 + 99 + 1);
    assertTrue(r.findings().size() <= 3, r.findings().toString());
  }

  @Test
  void jumpsThatFanOutBeyondTheWorkLimitAreUnknownNotUnreachable() {
    Ruleset rs = parse("fanout.v4", fanOut());
    AuditResult r = assertTimeoutPreemptively(Duration.ofSeconds(180), () -> KillswitchAudit.run(List.of(rs), NO_IPV6));
    assertEquals(1, r.notes().size(), r.notes().toString());
    assertTrue(r.notes().get(0).message().contains("rule visits in one walk"), r.notes().toString());
    for (Finding f : r.findings()) {
      assertTrue(f.category() != Category.UNREACHABLE_RULE && f.category() != Category.SHADOWED_RULE, f.toString());
      assertEquals(Certainty.POSSIBLE, f.certainty(), f.toString());
    }
  }
}
