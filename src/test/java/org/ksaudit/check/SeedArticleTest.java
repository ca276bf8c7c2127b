package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/** What the issue requires of the seed article's corrected killswitch. */
class SeedArticleTest {
  private static Ruleset load(String path, Family f) throws IOException {
    return RulesetParser.parse(path, Files.readString(Path.of(path)), f).ruleset();
  }

  private static Optional<Finding> find(List<Finding> fs, Category c, String dst) {
    return fs.stream().filter(f -> f.category() == c && f.severity() == Severity.ERROR)
        .filter(f -> f.witness().map(w -> w.dst().equals(dst) || dst.isEmpty()).orElse(false)).findFirst();
  }

  @Test
  void theCorrectedArticleLeaksDnsTheVpnPortTheLanAndIpv6() throws IOException {
    List<Finding> fs = KillswitchAudit.audit(List.of(load("testdata/seed/article.v4", Family.IPV4)), AuditOptions.defaults());
    Finding dns = find(fs, Category.DNS_LEAK, "10.45.16.1").orElseThrow(() -> new AssertionError(KillswitchFixturesTest.describe(fs)));
    assertEquals(new Witness(Family.IPV4, "udp", "10.45.16.1", 53, "eth0"), dns.witness().get());
    assertEquals(Certainty.DEFINITE, dns.certainty());
    assertEquals(14, dns.line().get());

    Finding vpn = find(fs, Category.VPN_ENDPOINT_TOO_BROAD, "").orElseThrow();
    Witness w = vpn.witness().get();
    assertEquals("udp", w.proto());
    assertEquals(1194, w.dport());
    assertFalse(w.dst().equals("10.45.16.1") || w.dst().startsWith("192.168.1."), w.toString());

    Finding lan = find(fs, Category.LAN_EXEMPTION, "").orElseThrow();
    assertTrue(lan.witness().get().dst().startsWith("192.168.1."), lan.toString());
    assertTrue(lan.message().contains("192.168.1.0/24"), lan.message());

    Finding v6 = fs.stream().filter(f -> f.category() == Category.IPV6_LEAK).findFirst().orElseThrow();
    assertEquals(Severity.ERROR, v6.severity());
    assertEquals(Family.IPV6, v6.witness().get().family());

    for (Finding f : fs) {
      assertFalse(f.trace().isEmpty() && f.location().isPresent() && f.witness().isPresent(), "trace missing: " + f);
    }
  }

  @Test
  void withTheArticlesIpv6RulesAndSysctlTheIpv6LeakIsGone() throws IOException {
    Sysctl sysctl = Sysctl.parse(Files.readString(Path.of("testdata/seed/article.sysctl")));
    List<Ruleset> both = List.of(load("testdata/seed/article.v4", Family.IPV4), load("testdata/seed/article.v6", Family.IPV6));
    List<Finding> fs = KillswitchAudit.audit(both, AuditOptions.defaults().withSysctl(sysctl));
    assertTrue(fs.stream().noneMatch(f -> f.category() == Category.IPV6_LEAK), KillswitchFixturesTest.describe(fs));
    assertTrue(find(fs, Category.DNS_LEAK, "10.45.16.1").isPresent());
    // the sysctl file also enables forwarding, but FORWARD drops everything: no forward leak
    assertTrue(fs.stream().noneMatch(f -> f.category() == Category.FORWARD_LEAK), KillswitchFixturesTest.describe(fs));
  }

  @Test
  void theSysctlAloneCreditsDisabledIpv6() throws IOException {
    Sysctl sysctl = Sysctl.parse(Files.readString(Path.of("testdata/seed/article.sysctl")));
    List<Finding> fs = KillswitchAudit.audit(List.of(load("testdata/seed/article.v4", Family.IPV4)),
        AuditOptions.defaults().withSysctl(sysctl));
    assertTrue(fs.stream().noneMatch(f -> f.category() == Category.IPV6_LEAK));
  }

  @Test
  void declaringTheLanMakesItInformational() throws IOException {
    AuditOptions o = AuditOptions.defaults().withAllowLan(List.of(Fixtures.cidr("192.168.1.0/24")));
    List<Finding> fs = KillswitchAudit.audit(List.of(load("testdata/seed/article.v4", Family.IPV4)), o);
    List<Finding> lan = fs.stream().filter(f -> f.category() == Category.LAN_EXEMPTION).toList();
    assertEquals(1, lan.size(), KillswitchFixturesTest.describe(fs));
    assertEquals(Severity.INFO, lan.get(0).severity());
  }

  @Test
  void declaringTheEndpointStillFlagsThePortOnlyRule() throws IOException {
    AuditOptions o = AuditOptions.defaults().withEndpoints(List.of(Endpoint.parse("198.51.100.1:1194/udp")));
    List<Finding> fs = KillswitchAudit.audit(List.of(load("testdata/seed/article.v4", Family.IPV4)), o);
    Finding vpn = find(fs, Category.VPN_ENDPOINT_TOO_BROAD, "").orElseThrow();
    assertFalse(vpn.witness().get().dst().equals("198.51.100.1"));
  }
}
