package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.LeakScenario;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.RulesetParser;

/**
 * {@code ksaudit diff}'s comparison on the fixtures of testdata/diff, each stating the
 * differences its change makes (see {@link DiffFixtures}): no change, a reordering, a split
 * ACCEPT, a new LAN exemption, a widened and a tightened VPN server rule, a MARK-based
 * allowance, IPv6 opened.
 */
class RulesetDiffTest {
  @Test
  void eachFixtureMakesExactlyTheDifferencesItStates() {
    List<DiffFixtures.Case> cases = DiffFixtures.cases();
    assertTrue(cases.size() >= 7, "fixtures: " + cases.size());
    for (DiffFixtures.Case c : cases) {
      RulesetDiff.Result r = RulesetDiff.compare(List.of(c.before()), List.of(c.after()), AuditOptions.defaults());
      Set<String> got = new LinkedHashSet<>();
      for (Difference d : r.differences()) got.add(DiffFixtures.stated(d));
      assertEquals(c.expected(), got, c.name() + ": " + r.differences());
      assertEquals(c.expected().stream().anyMatch(e -> e.startsWith("let-out")), r.letsOutMore(), c.name());
      for (Difference d : r.differences()) {
        assertEquals(d.letOut() ? c.newFile().getFileName().toString() : c.oldFile().getFileName().toString(), d.file(), c.name());
        assertEquals(Certainty.DEFINITE, d.certainty(), c.name() + ": " + d);
        assertTrue(d.witness().isPresent(), c.name() + ": " + d);
        assertFalse(d.letOutTrace().isEmpty() || d.stoppedTrace().isEmpty(), c.name() + ": " + d);
      }
    }
  }

  @Test
  void noChangeIsNoDifference() {
    Ruleset base = DiffFixtures.parse(DiffFixtures.DIR.resolve("base.v4"));
    assertEquals(List.of(), RulesetDiff.compare(List.of(base), List.of(base), AuditOptions.defaults()).differences());
  }

  /** Rules the engine cannot decide (an ipset) left as they were are no difference: the same set decides the same in both. */
  @Test
  void anUndecidedMatchLeftAsItWasIsNoDifference() {
    String head = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n";
    String set = "-A OUTPUT -o eth0 -m set --match-set allowed dst -j ACCEPT\n";
    Ruleset a = parse("a.v4", head + "-A OUTPUT -o lo -j ACCEPT\n" + set + "COMMIT\n");
    Ruleset b = parse("b.v4", head + "-A OUTPUT -o lo -j ACCEPT\n" + set + "COMMIT\n");
    assertEquals(List.of(), RulesetDiff.compare(List.of(a), List.of(b), AuditOptions.defaults()).differences());
  }

  /** The witness of the new LAN exemption is a packet the new rule takes: to 192.168.0.0/16, out of eth0. */
  @Test
  void theLanExemptionsWitnessIsInTheLan() {
    DiffFixtures.Case c = DiffFixtures.cases().stream().filter(x -> x.name().equals("lan-exemption.v4")).findFirst().orElseThrow();
    Difference d = RulesetDiff.compare(List.of(c.before()), List.of(c.after()), AuditOptions.defaults()).differences().get(0);
    assertEquals(LeakScenario.TUNNEL_GONE, d.scenario());
    Witness w = d.witness().orElseThrow();
    BigInteger dst = IpText.parse(Family.IPV4, w.dst()).orElseThrow();
    assertEquals(0xc0a8, dst.shiftRight(16).intValue(), w.describe());
    assertEquals("eth0", w.oif());
    assertTrue(w.replayable(), w.describe());
  }

  /** A family only one version has is compared with the kernel's empty tables, which let everything out. */
  @Test
  void aFamilyDroppedFromNewLetsEverythingOut() {
    Ruleset v4 = DiffFixtures.parse(DiffFixtures.DIR.resolve("base.v4"));
    Ruleset v6 = DiffFixtures.parse(DiffFixtures.DIR.resolve("base.v6"));
    RulesetDiff.Result r = RulesetDiff.compare(List.of(v4, v6), List.of(v4), AuditOptions.defaults());
    assertTrue(r.letsOutMore());
    assertTrue(r.differences().stream().allMatch(d -> d.family() == Family.IPV6 && d.letOut()), r.differences().toString());
    assertTrue(r.differences().stream().anyMatch(d -> d.scenario() == LeakScenario.TUNNEL_GONE && d.location().isEmpty()
        && d.file().equals(RulesetDiff.missing(Family.IPV6))), r.differences().toString());
  }

  /** When the backends read the files differently, the legacy reading's own differences are added, named so, and no other twice. */
  @Test
  void theLegacyBackendsOwnDifferencesAreAddedOnce() {
    DiffFixtures.Case lan = DiffFixtures.cases().stream().filter(x -> x.name().equals("lan-exemption.v4")).findFirst().orElseThrow();
    DiffFixtures.Case broad = DiffFixtures.cases().stream().filter(x -> x.name().equals("broad-endpoint.v4")).findFirst().orElseThrow();
    List<Difference> nft = RulesetDiff.compare(List.of(lan.before()), List.of(lan.after()), AuditOptions.defaults()).differences();
    List<Difference> legacy = new java.util.ArrayList<>(nft);
    legacy.addAll(RulesetDiff.compare(List.of(broad.before()), List.of(broad.after()), AuditOptions.defaults()).differences());
    List<Difference> merged = RulesetDiff.merged(nft, legacy, "iptables-legacy-restore");
    assertEquals(nft.size() * 2, merged.size(), merged.toString());
    assertEquals(nft, merged.subList(0, nft.size()));
    assertTrue(merged.subList(nft.size(), merged.size()).stream().allMatch(d -> d.backend().equals("iptables-legacy-restore")
        && d.file().equals("broad-endpoint.v4")), merged.toString());
  }

  private static Ruleset parse(String name, String text) {
    return RulesetParser.parse(name, text, Family.IPV4).ruleset();
  }
}
