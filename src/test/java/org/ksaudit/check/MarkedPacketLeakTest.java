package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/** Packets with a firewall mark that leave where unmarked ones would not: wg-quick's fwmark exemption. */
class MarkedPacketLeakTest {
  static List<Finding> marked(List<Ruleset> rs, AuditOptions o) {
    return KillswitchAudit.audit(rs, o).stream().filter(f -> f.kind() == FindingKind.MARKED_PACKET).toList();
  }

  static Ruleset file(String path, Family f) throws Exception {
    return RulesetParser.parse(path, Files.readString(Path.of(path)), f).ruleset();
  }

  @Test
  void wgQuicksExemptionIsReportedAsPossibleInfoAtTheMarkTest() throws Exception {
    Ruleset rs = file("testdata/lab/wgquick-fwmark.v4", Family.IPV4);
    for (AuditOptions o : List.of(AuditOptions.defaults(),
        AuditOptions.defaults().withEndpoints(List.of(Endpoint.parse("203.0.113.10:51820/udp"))))) {
      List<Finding> fs = marked(List.of(rs), o);
      assertEquals(1, fs.size(), fs.toString());
      Finding f = fs.get(0);
      assertEquals(Category.VPN_ENDPOINT_TOO_BROAD, f.category());
      assertEquals(Severity.INFO, f.severity());
      assertEquals(Certainty.POSSIBLE, f.certainty());
      assertTrue(f.message().contains("mark 0xca6c"), f.message());
      assertTrue(f.message().contains("with mark 0xca6c"), f.message());
      Witness w = f.witness().orElseThrow();
      assertEquals(0xca6cL, w.mark(), w.toString());
      assertEquals("NEW", w.state());
      assertFalse(w.replayable());
      assertTrue(w.describe().endsWith(" with mark 0xca6c"), w.describe());
      Location l = f.location().orElseThrow();
      assertEquals(8, l.pos().line());
      assertTrue(l.sourceLine().substring(l.pos().column() - 1).startsWith("--mark 0xca6c"), l.sourceLine());
      assertEquals(List.of(), f.trace().stream().filter(t -> t.target().equals("REJECT")).toList());
    }
  }

  @Test
  void anAcceptByMarkIsReportedAtThatRule() {
    String text = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -m mark --mark 0x1/0x1 -j ACCEPT\nCOMMIT\n";
    List<Finding> fs = marked(List.of(RulesetParser.parse("m.v4", text, Family.IPV4).ruleset()), AuditOptions.defaults());
    assertEquals(1, fs.size(), fs.toString());
    assertEquals(Optional.of(4), fs.get(0).line());
    assertTrue(fs.get(0).message().contains("0x1"), fs.get(0).message());
  }

  @Test
  void aMarkAllowedOnlyToTheDeclaredServerIsNotReported() {
    String text = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o wg0 -j ACCEPT\n"
        + "-A OUTPUT -o eth0 -d 203.0.113.10/32 -p udp -m udp --dport 51820 -m mark --mark 0xca6c -j ACCEPT\nCOMMIT\n";
    Ruleset rs = RulesetParser.parse("m.v4", text, Family.IPV4).ruleset();
    assertEquals(List.of(), marked(List.of(rs), AuditOptions.defaults().withEndpoints(List.of(Endpoint.parse("203.0.113.10:51820/udp")))));
    // the same rule without --endpoint is the inferred server allowance: nothing either
    assertEquals(List.of(), marked(List.of(rs), AuditOptions.defaults()));
  }

  @Test
  void rulesThatIgnoreMarksGiveNoMarkedFinding() throws Exception {
    for (String name : List.of("hardened-openvpn", "hardened-wireguard")) {
      List<Ruleset> rs = List.of(file("testdata/lab/" + name + ".v4", Family.IPV4), file("testdata/lab/" + name + ".v6", Family.IPV6));
      assertEquals(List.of(), marked(rs, AuditOptions.defaults()), name);
      assertTrue(KillswitchAudit.audit(rs, AuditOptions.defaults()).stream().noneMatch(f -> f.severity() == Severity.ERROR), name);
    }
    // an unrelated MARK in mangle marks every packet alike: marked and unmarked packets fare the same
    String text = "*mangle\n:OUTPUT ACCEPT [0:0]\n-A OUTPUT -j MARK --set-mark 0x5\nCOMMIT\n*filter\n:OUTPUT DROP [0:0]\n"
        + "-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -m mark --mark 0x5 -p icmp -j ACCEPT\nCOMMIT\n";
    assertEquals(List.of(), marked(List.of(RulesetParser.parse("m.v4", text, Family.IPV4).ruleset()), AuditOptions.defaults()));
  }
}
