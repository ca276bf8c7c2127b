package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A family without a ruleset is unfiltered: the kernel's tables start empty with ACCEPT
 * policies, so every packet of that family leaves. Stated rule: the audit reports it (IPv6 as
 * KS103, IPv4 as KS106) unless the user says the host lacks the family ({@code --no-ipv4},
 * {@code --no-ipv6}, or disable_ipv6 in a sysctl file).
 */
class MissingFamilyTest {
  private static final String V4 = "testdata/killswitches/hardened-openvpn.v4";
  private static final String V6 = "testdata/killswitches/hardened-openvpn.v6";

  @Test
  void bothFamiliesOfAHardenedKillswitchAreClean() {
    CliRun r = CliRun.of("check", V4, V6);
    assertEquals(0, r.code(), r.out() + r.err());
  }

  @Test
  void anIpv6RulesetAloneLeavesIpv4Unfiltered() {
    CliRun r = CliRun.of("check", V6);
    assertEquals(1, r.code(), r.out() + r.err());
    assertTrue(r.out().contains("ksaudit: error: direct-leak: no IPv4 ruleset given (and no --no-ipv4): every IPv4 packet leaves"
        + " unfiltered [KS106, definite]\n  witness: ipv4 tcp 203.0.113.10:443 out eth0\n"), r.out());
  }

  @Test
  void theMissingIpv4RulesetIsInTheJsonReportWithoutAFile() {
    CliRun r = CliRun.of("check", "--format", "json", V6);
    assertTrue(r.out().contains("{\"id\":\"KS106\",\"category\":\"direct-leak\",\"kind\":\"new-connection\",\"severity\":\"error\",\"certainty\":\"definite\","
        + "\"file\":null,\"line\":null,\"column\":null,\"message\":\"no IPv4 ruleset given"), r.out());
  }

  @Test
  void noIpv4SaysTheHostHasNoIpv4() {
    CliRun r = CliRun.of("check", "--no-ipv4", V6);
    assertEquals(0, r.code(), r.out() + r.err());
    assertFalse(r.out().contains("IPv4"), r.out());
  }

  @Test
  void noIpv6IsTheFlagTwinOfTheSysctlCredit() {
    CliRun without = CliRun.of("check", V4);
    assertEquals(1, without.code(), without.out());
    assertTrue(without.out().contains("[KS103, definite]"), without.out());
    CliRun with = CliRun.of("check", "--no-ipv6", V4);
    assertEquals(0, with.code(), with.out() + with.err());
  }

  @Test
  void aFlagThatContradictsAGivenRulesetIsAUsageError() {
    CliRun v4 = CliRun.of("check", "--no-ipv4", V4, V6);
    assertEquals(2, v4.code(), v4.out());
    assertTrue(v4.err().contains("--no-ipv4 says the host has no IPv4, but " + V4 + " is an IPv4 ruleset"), v4.err());
    assertEquals(2, CliRun.of("check", "--no-ipv6", V4, V6).code());
    assertEquals(2, CliRun.of("check", "--no-ipv4", "--no-ipv6", V4).code());
  }
}
