package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.RulesetParser;

/** Packets of connections open when the tunnel went down: reported where the rules let them out, and only there. */
class OpenConnectionLeakTest {
  static final String HEAD = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n";
  static final String TAIL = "-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT\nCOMMIT\n";
  static final AuditOptions SERVER = AuditOptions.defaults().withEndpoints(List.of(Endpoint.parse("198.51.100.1:1194/udp")));

  static Ruleset v4(String rules) {
    return RulesetParser.parse("t.v4", HEAD + rules + TAIL, Family.IPV4).ruleset();
  }

  static List<Finding> open(Ruleset rs, AuditOptions o) {
    return KillswitchAudit.audit(List.of(rs), o).stream().filter(f -> f.kind() == FindingKind.OPEN_CONNECTION).toList();
  }

  @Test
  void anEstablishedRuleOnEveryInterfaceLeaksOpenConnections() {
    Ruleset rs = v4("-A OUTPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n");
    List<Finding> fs = open(rs, SERVER);
    assertEquals(1, fs.size(), fs.toString());
    Finding f = fs.get(0);
    assertEquals(Category.DIRECT_LEAK, f.category());
    assertEquals(Severity.WARNING, f.severity());
    assertEquals(Certainty.DEFINITE, f.certainty());
    assertEquals(Optional.of(6), f.line());
    assertEquals("--ctstate RELATED,ESTABLISHED", f.location().orElseThrow().sourceLine()
        .substring(f.location().get().pos().column() - 1).substring(0, f.location().get().length()));
    // a witness, but not a probe: a new connection to the same place is refused
    Witness w = f.witness().orElseThrow();
    assertFalse(w.replayable(), w.toString());
    assertTrue(w.state().equals("ESTABLISHED") || w.state().equals("RELATED"), w.toString());
    assertEquals(0, w.mark());
    assertTrue(w.describe().contains(" in state " + w.state()), w.describe());
    assertTrue(f.message().contains("except 198.51.100.1"), f.message());
    assertTrue(f.message().contains("in state ESTABLISHED"), f.message());
    assertEquals(6, f.trace().get(f.trace().size() - 1).line());
    // the example packet really gets out as ESTABLISHED, and not as NEW
    Packet p = Packet.outgoing(Family.IPV4, "tcp", Witnesses.source(Family.IPV4), IpText.parse(Family.IPV4, "203.0.113.10").orElseThrow(),
        40000, 443, "eth0");
    Tracer t = new Tracer(Optional.of(rs), List.of("eth0"));
    assertEquals(Verdict.ACCEPT, t.trace(p.withState(ConnState.ESTABLISHED)).verdict());
    assertEquals(Verdict.DROP, t.trace(p).verdict());
  }

  @Test
  void theStateMatchIsReportedTooAndPointedAt() {
    Ruleset rs = v4("-A OUTPUT -m state --state ESTABLISHED -j ACCEPT\n");
    List<Finding> fs = open(rs, SERVER);
    assertEquals(1, fs.size(), fs.toString());
    assertTrue(fs.get(0).location().orElseThrow().sourceLine().contains("--state ESTABLISHED"));
  }

  @Test
  void anEstablishedRuleOnTheTunnelOrToTheServerIsNotALeak() {
    assertEquals(List.of(), open(v4("-A OUTPUT -o tun0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"), SERVER));
    Ruleset server = v4("-A OUTPUT -o eth0 -d 198.51.100.1/32 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n");
    assertEquals(List.of(), open(server, SERVER));
    // without --endpoint the server comes from the rule that lets out one host and port
    assertEquals(List.of(), open(server, AuditOptions.defaults()));
  }

  @Test
  void aDeclaredLanIsNotReportedAgainButAnUndeclaredOneIs() {
    Ruleset rs = v4("-A OUTPUT -o eth0 -d 192.168.1.0/24 -m conntrack --ctstate ESTABLISHED -j ACCEPT\n");
    assertEquals(1, open(rs, SERVER).size());
    assertEquals(List.of(), open(rs, SERVER.withAllowLan(List.of(Fixtures.cidr("192.168.1.0/24")))));
  }

  @Test
  void whatNewConnectionsAlreadyLeakIsNotReportedTwice() {
    // everything leaks as a new connection: the error covers the connections' later packets
    Ruleset all = RulesetParser.parse("t.v4", "*filter\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n", Family.IPV4).ruleset();
    assertEquals(List.of(), open(all, SERVER));
    // DNS leaks as new and as established: one dns-leak, no established finding
    Ruleset dns = v4("-A OUTPUT -p udp -m udp --dport 53 -m state --state NEW,ESTABLISHED -j ACCEPT\n");
    List<Finding> fs = KillswitchAudit.audit(List.of(dns), SERVER);
    assertEquals(List.of(), open(dns, SERVER));
    assertEquals(1, fs.stream().filter(f -> f.category() == Category.DNS_LEAK).count());
  }

  @Test
  void onlyTheClassNewConnectionsDoNotCoverIsReported() {
    // new DNS leaks on every interface; established packets of any protocol too: the finding is the rest
    Ruleset rs = v4("-A OUTPUT -p udp -m udp --dport 53 -j ACCEPT\n-A OUTPUT -m conntrack --ctstate ESTABLISHED -j ACCEPT\n");
    List<Finding> fs = open(rs, SERVER);
    assertEquals(1, fs.size(), fs.toString());
    assertEquals(Optional.of(7), fs.get(0).line());
    assertFalse(fs.get(0).message().contains(":53 "), fs.get(0).message());
  }

  @Test
  void ipv6RulesetsAreCheckedAlike() {
    String v6 = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
        + "-A OUTPUT -m state --state RELATED,ESTABLISHED -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\nCOMMIT\n";
    Ruleset rs = RulesetParser.parse("t.v6", v6, Family.IPV6).ruleset();
    List<Finding> fs = open(rs, AuditOptions.defaults());
    assertEquals(1, fs.size(), fs.toString());
    assertTrue(fs.get(0).message().startsWith("IPv6 packets"), fs.get(0).message());
    assertEquals(Severity.WARNING, fs.get(0).severity());
  }

  @Test
  void theFixturePairAgrees() {
    Fixtures.Pair leaky = Fixtures.pairs().stream().filter(x -> x.name().equals("established-anywhere")).findFirst().orElseThrow();
    Fixtures.Pair hardened = Fixtures.pairs().stream().filter(x -> x.name().equals("established-tunnel-only")).findFirst().orElseThrow();
    assertEquals(2, KillswitchAudit.audit(leaky.rulesets(), leaky.options()).stream()
        .filter(f -> f.kind() == FindingKind.OPEN_CONNECTION).count());
    assertTrue(KillswitchAudit.audit(hardened.rulesets(), hardened.options()).stream()
        .noneMatch(f -> f.kind() == FindingKind.OPEN_CONNECTION));
  }

  static final String MANGLE = "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
      + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";

  static Ruleset withMangle(String mangleRules, String filterRules) {
    return RulesetParser.parse("t.v4", MANGLE + mangleRules + "COMMIT\n" + HEAD + filterRules + TAIL, Family.IPV4).ruleset();
  }

  @Test
  void anOrdinaryConnectionHasNoConnectionMark() {
    // conntrack starts every entry at mark 0 and no rule here changes it: the connmark test never holds
    String accept = "-A OUTPUT -m connmark --mark 0xe1f1 -j ACCEPT\n";
    assertEquals(List.of(), open(v4(accept), SERVER));
    // saving the socket's mark only marks connections whose packets carry 0xe1f1, which an ordinary one's never do
    assertEquals(List.of(), open(withMangle("-A OUTPUT -m mark --mark 0xe1f1 -j CONNMARK --save-mark\n", accept), SERVER));
  }

  @Test
  void aConnectionMarkARuleMayHaveSetIsKept() {
    String accept = "-A OUTPUT -m connmark --mark 0xe1f1 -j ACCEPT\n";
    // the first packet of a connection to port 443 sets the connection mark: its later packets pass the connmark rule
    List<Finding> set = open(withMangle("-A OUTPUT -p tcp -m tcp --dport 443 -j CONNMARK --set-mark 0xe1f1\n", accept), SERVER);
    assertEquals(1, set.size(), set.toString());
    assertEquals(Optional.of(14), set.get(0).line(), "the connmark rule (mangle: lines 1-8, filter from 9)");
    // a MARK rule marks packets, --save-mark copies that into the connection: the same, in two steps
    List<Finding> saved = open(withMangle("-A OUTPUT -p udp -j MARK --set-mark 0xe1f1\n"
        + "-A OUTPUT -m mark --mark 0xe1f1 -j CONNMARK --save-mark\n", accept), SERVER);
    assertEquals(1, saved.size(), saved.toString());
  }
}
