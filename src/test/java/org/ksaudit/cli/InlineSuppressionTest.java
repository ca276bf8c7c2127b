package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code -m comment --comment "ksaudit:ignore=ID REASON"} on the rule a finding points at. The
 * expectations are the stated rules: a LAN range accepted on every interface is a KS105 error
 * (README), a suppression with a reason hides it from the gate, one without does not and is a
 * KS113 warning, an expired one does not, an unused one is a KS113 info.
 */
class InlineSuppressionTest {
  private static final String LAN = "-A OUTPUT -d 192.168.1.0/24";
  private GateFixture fx;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    fx = new GateFixture(dir);
  }

  @Test
  void theKillswitchAloneIsCleanAndTheLanRuleIsAnError() {
    CliRun clean = fx.check(fx.rules("clean.v4"));
    assertEquals(0, clean.code(), clean.out());
    CliRun lan = fx.check(fx.rules("lan.v4", LAN + " -j ACCEPT"));
    assertEquals(1, lan.code(), lan.out());
    assertTrue(lan.out().contains("repo/lan.v4:9:11: error: lan-exemption"), lan.out());
  }

  @Test
  void aSuppressionWithAReasonHidesTheFindingAndStaysInJson() {
    Path rules = fx.rules("lan.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105 the printer; VPN-less by design\" -j ACCEPT");
    CliRun text = fx.check(rules);
    assertEquals(0, text.code(), text.out());
    assertFalse(text.out().contains("error: lan-exemption"), text.out());
    assertTrue(text.out().contains("no findings reported; 1 suppressed"), text.out());
    CliRun listed = fx.check(rules, "--list-ignored");
    assertTrue(listed.out().contains("suppressed: " + rules + ":9:11: error: lan-exemption"), listed.out());
    assertTrue(listed.out().contains("suppressed by inline at " + rules + ":9:40: the printer; VPN-less by design"), listed.out());
    CliRun json = fx.check(rules, "--format", "json");
    assertEquals(0, json.code(), json.out());
    assertTrue(json.out().contains("\"id\":\"KS105\""), json.out());
    assertTrue(json.out().contains("\"suppressed\":{\"kind\":\"inline\",\"reason\":\"the printer; VPN-less by design\",\"until\":null,"
        + "\"file\":\"" + rules + "\",\"line\":9}"), json.out());
    assertTrue(json.out().contains("\"summary\":{\"error\":0,\"warning\":0,\"info\":0,\"suppressed\":1}"), json.out());
  }

  @Test
  void aSuppressionWithoutAReasonSuppressesNothingAndIsAWarning() {
    CliRun r = fx.check(fx.rules("lan.v4", LAN + " -m comment --comment ksaudit:ignore=KS105 -j ACCEPT"));
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("error: lan-exemption"), r.out());
    assertTrue(r.out().contains(":9:40: warning: suppression: the suppression of KS105 gives no reason, so it suppresses nothing"),
        r.out());
    assertTrue(r.out().contains("[KS113, definite]"), r.out());
  }

  @Test
  void unknownIdsAndBadDatesAreWarnings() {
    CliRun id = fx.check(fx.rules("id.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS999 typo\" -j ACCEPT"));
    assertTrue(id.out().contains("warning: suppression: no finding has the ID 'KS999'"), id.out());
    assertTrue(id.out().contains("error: lan-exemption"), id.out());
    CliRun date = fx.check(fx.rules("date.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105:until=2027-02-30 why\" -j ACCEPT"));
    assertTrue(date.out().contains("warning: suppression: 'until=2027-02-30' is no date"), date.out());
    assertTrue(date.out().contains("error: lan-exemption"), date.out());
  }

  @Test
  void anExpiredSuppressionLetsTheFindingBack() {
    CliRun expired = fx.check(fx.rules("old.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105:until=2020-01-31 old printer\" -j ACCEPT"));
    assertEquals(1, expired.code(), expired.out());
    assertTrue(expired.out().contains("error: lan-exemption"), expired.out());
    assertTrue(expired.out().contains("info: suppression: the suppression of KS105 expired on 2020-01-31"), expired.out());
    CliRun current = fx.check(fx.rules("new.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105:until=2999-12-31 printer\" -j ACCEPT"));
    assertEquals(0, current.code(), current.out());
  }

  @Test
  void anUnusedSuppressionIsAnInfo() {
    Path rules = fx.rules("unused.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105,KS102 printer\" -j ACCEPT",
        "-A OUTPUT -o eth0 -d 198.51.100.2/32 -m comment --comment \"ksaudit:ignore=KS102 second resolver\" -j DROP");
    CliRun r = fx.check(rules);
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains(rules + ":9:40: info: suppression: unused suppression: no KS102 finding points at this rule"), r.out());
    assertTrue(r.out().contains(rules + ":10:49: info: suppression: unused suppression: no KS102 finding points at this rule"), r.out());
    assertEquals(1, fx.check(rules, "--fail-on", "info").code());
  }

  @Test
  void noInlineIgnoresRefusesThem() {
    Path rules = fx.rules("lan.v4", LAN + " -m comment --comment \"ksaudit:ignore=KS105 printer\" -j ACCEPT");
    CliRun r = fx.check(rules, "--no-inline-ignores", "--format", "json");
    assertEquals(1, r.code(), r.out());
    assertFalse(r.out().contains("\"suppressed\":{"), r.out());
    assertTrue(r.out().contains("\"summary\":{\"error\":1,"), r.out());
  }

  @Test
  void aSuppressedRuleIsAFindingOfItsOwnBesideTheRulesOfItsShape() {
    String printers = "-A OUTPUT -d 192.168.1.0/24 -m comment --comment \"ksaudit:ignore=KS105 printers\" -j ACCEPT";
    // comments of one and of two words: a comment's value is one word, so these two keep one shape
    Path rules = fx.rules("group.v4", printers, "-A OUTPUT -d 192.168.2.0/24 -m comment --comment scanners -j ACCEPT",
        "-A OUTPUT -d 192.168.3.0/24 -m comment --comment \"the cameras\" -j ACCEPT");
    CliRun r = fx.check(rules, "--list-ignored");
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains(rules + ":10:11: error: lan-exemption"), r.out());
    assertTrue(r.out().contains("and 1 more: line 11"), r.out());
    assertTrue(r.out().contains("suppressed: " + rules + ":9:11: error: lan-exemption"), r.out());
    assertTrue(r.out().contains("1 finding: 1 error, 0 warnings, 0 info (ksaudit explain ID tells more); 1 suppressed"), r.out());
    Path both = fx.rules("both.v4", printers, "-A OUTPUT -d 192.168.2.0/24 -m comment --comment \"ksaudit:ignore=KS105 printers\" -j ACCEPT");
    CliRun b = fx.check(both, "--format", "json");
    assertEquals(0, b.code(), b.out());
    assertTrue(b.out().contains("\"locations\":[{\"line\":9,\"column\":11,"), b.out());
    assertTrue(b.out().contains("{\"line\":10,\"column\":11,"), b.out());
    assertTrue(b.out().contains("\"suppressed\":1}"), b.out());
  }

  @Test
  void failOnNeverExitsZeroAndStillReports() {
    Path rules = fx.rules("lan.v4", LAN + " -j ACCEPT");
    CliRun r = fx.check(rules, "--fail-on", "never");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("error: lan-exemption"), r.out());
  }
}
