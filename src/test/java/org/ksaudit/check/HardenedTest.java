package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;

/** A hardened killswitch yields no error-level finding, with or without the endpoint declared. */
class HardenedTest {
  @Test
  void hardenedOpenVpnHasNoErrors() {
    Fixtures.Pair p = Fixtures.pairs().stream().filter(x -> x.name().equals("hardened-openvpn")).findFirst().orElseThrow();
    for (AuditOptions o : List.of(AuditOptions.defaults(),
        AuditOptions.defaults().withEndpoints(List.of(Endpoint.parse("198.51.100.1:1194/udp"))),
        AuditOptions.defaults().withTunnels(List.of("tun0")))) {
      List<Finding> fs = KillswitchAudit.audit(p.rulesets(), o);
      assertTrue(fs.stream().noneMatch(f -> f.severity() == Severity.ERROR), KillswitchFixturesTest.describe(fs));
    }
  }

  @Test
  void theV4HalfAloneStillReportsMissingIpv6() {
    Fixtures.Pair p = Fixtures.pairs().stream().filter(x -> x.name().equals("hardened-openvpn")).findFirst().orElseThrow();
    List<Finding> fs = KillswitchAudit.audit(List.of(p.rulesets().get(0)), AuditOptions.defaults());
    assertTrue(fs.stream().anyMatch(f -> f.category() == Category.IPV6_LEAK && f.severity() == Severity.ERROR));
  }
}
