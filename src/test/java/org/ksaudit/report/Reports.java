package org.ksaudit.report;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.AuditResult;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.lab.LabPlan;
import org.ksaudit.lab.ProbeOutcome;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.Scenario;
import org.ksaudit.lab.ScenarioProbe;
import org.ksaudit.lab.ScenarioResult;
import org.ksaudit.lab.TunnelKind;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/** Reports for the HTML tests: a check of real files as {@code ksaudit check} makes it, and a lab run written by hand. */
final class Reports {
  private Reports() {}

  /** The check report of these files with the default options, the rules loaded and audited as the command does. */
  static CheckReport check(String... files) throws Exception {
    List<RulesetLoader.Loaded> loaded = RulesetLoader.load(List.of(files), List.of(), List.of(), new ByteArrayInputStream(new byte[0]));
    List<CheckReport.Input> inputs = new ArrayList<>();
    Sources sources = new Sources();
    for (RulesetLoader.Loaded l : loaded) {
      inputs.add(new CheckReport.Input(l.input().name(), l.family()));
      sources.add(l.input().name(), l.input().text());
    }
    AuditResult audit = KillswitchAudit.run(loaded.stream().map(l -> l.result().ruleset()).toList(), AuditOptions.defaults());
    return new CheckReport("test", inputs, List.of(), audit.notes(), audit.findings(), Optional.of(audit.tunnels()), sources,
        List.of(), Optional.of(Severity.ERROR));
  }

  /**
   * A lab run of the seed article's rules as a reader of the probe's text output would write it:
   * the DNS query to the VPN's resolver leaks in tunnel-down and the VPN port to another host too,
   * (in the baseline as well: the rule lets it out of eth0 with the tunnel up), the web goes
   * through the tunnel in the baseline, ICMP is blocked, and in tunnel-down the
   * engine predicted the ICMP echo leaves while the kernel stopped it (a disagreement).
   */
  static ProbeReport lab() {
    LabPlan plan = new LabPlan(TunnelKind.OPENVPN, "tun0", "eth0", "203.0.113.10", 1194, "udp", "10.45.16.1",
        cidr(Family.IPV4, "192.168.1.0", 24), cidr(Family.IPV6, "2001:db8:1::", 64), List.of(), List.of(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), List.of("VPN DNS 10.45.16.1 adopted from the rules (line 14)"));
    ScenarioProbe dns = probe("p1", "DNS/udp to the VPN DNS", Family.IPV4, "udp", "10.45.16.1", 53, List.of("KS102"));
    ScenarioProbe web = probe("p2", "web page (HTTP)", Family.IPV4, "tcp", "198.51.100.80", 80, List.of());
    ScenarioProbe icmp = probe("p3", "ICMP echo", Family.IPV4, "icmp", "198.51.100.80", -1, List.of());
    ScenarioProbe vpnPort = probe("p4", "the VPN port on a host that is not the VPN server", Family.IPV4, "udp", "198.51.100.94", 1194,
        List.of("KS104"));
    ScenarioProbe web6 = probe("p5", "web page over IPv6", Family.IPV6, "tcp", "2001:db8:100::80", 80, List.of());
    ScenarioResult baseline = new ScenarioResult(Scenario.BASELINE, true, List.of(), List.of(
        tunnelled(dns), tunnelled(web), blocked(icmp, "DROP"), leaked(vpnPort), blocked(web6, "DROP")));
    ScenarioResult down = new ScenarioResult(Scenario.TUNNEL_DOWN, false, List.of("the VPN client was stopped (SIGTERM)"), List.of(
        leaked(dns), blocked(web, "DROP"), blocked(icmp, "ACCEPT"), leaked(vpnPort), blocked(web6, "DROP")));
    return new ProbeReport(plan, List.of(baseline, down), true, true, Optional.empty(), Optional.of("203.0.113.10"), Optional.empty(),
        12.5);
  }

  private static ScenarioProbe probe(String id, String label, Family f, String proto, String dst, int dport, List<String> findings) {
    return new ScenarioProbe(id, label, f, proto, dst, dport, Optional.empty(), Optional.empty(), findings, false, false);
  }

  private static ProbeOutcome tunnelled(ScenarioProbe p) {
    return new ProbeOutcome(p, Optional.of("tun0"), Optional.empty(), Optional.empty(), false, true, Optional.empty(),
        Optional.of("ACCEPT"), false);
  }

  private static ProbeOutcome blocked(ScenarioProbe p, String predicted) {
    return new ProbeOutcome(p, Optional.of("eth0"), Optional.of("EPERM"), Optional.empty(), false, false, Optional.empty(),
        Optional.of(predicted), predicted.equals("ACCEPT"));
  }

  private static ProbeOutcome leaked(ScenarioProbe p) {
    return new ProbeOutcome(p, Optional.of("eth0"), Optional.empty(), Optional.of("lan0"), true, false, Optional.empty(),
        Optional.of("ACCEPT"), true);
  }

  private static Cidr cidr(Family f, String address, int prefix) {
    return new Cidr(f, IpText.parse(f, address).orElseThrow(), prefix);
  }

  /** Three earlier runs and this one. */
  static List<RunSummary> history() {
    return List.of(new RunSummary(Instant.parse("2026-12-02T03:00:00Z"), 1, 0), new RunSummary(Instant.parse("2026-12-03T03:00:00Z"), 1, 0),
        new RunSummary(Instant.parse("2026-12-04T03:00:00Z"), 3, 1), new RunSummary(Instant.parse("2026-12-05T03:00:00Z"), 3, 2));
  }
}
