package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;

/**
 * Copies a TEE rule sends cross the OUTPUT chains again in state UNTRACKED (nf_dup_ipv4 gives
 * them the untracked conntrack entry and sends them with ip_local_out; checked in a namespace:
 * with filter OUTPUT DROP and "-o tun0 -j ACCEPT", a TEE copy to a gateway on eth0 arrives
 * there only when a rule accepts UNTRACKED on eth0). A rule that lets such copies out is a
 * leak the new-connection scenario cannot see.
 */
class TeeCopyLeakTest {
  static final String MANGLE = "*mangle\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n"
      + ":OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A OUTPUT -p udp --dport 9999 -j TEE --gateway 192.0.2.2\nCOMMIT\n";
  static final String FILTER = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n-A OUTPUT -o lo -j ACCEPT\n"
      + "-A OUTPUT -o tun0 -j ACCEPT\n";

  static Ruleset v4(String mangle, String filterRules) {
    return RulesetParser.parse("t.v4", mangle + FILTER + filterRules + "COMMIT\n", Family.IPV4).ruleset();
  }

  static List<Finding> copies(Ruleset rs) {
    return KillswitchAudit.audit(List.of(rs), AuditOptions.defaults()).stream()
        .filter(f -> f.kind() == FindingKind.TEE_COPY).toList();
  }

  @Test
  void aRuleThatAcceptsUntrackedPacketsLetsTeeCopiesOut() {
    List<Finding> fs = copies(v4(MANGLE, "-A OUTPUT -o eth0 -m conntrack --ctstate UNTRACKED -j ACCEPT\n"));
    assertEquals(1, fs.size(), fs.toString());
    Finding f = fs.get(0);
    assertEquals(Category.DIRECT_LEAK, f.category());
    assertEquals(Severity.WARNING, f.severity());
    assertEquals(Certainty.POSSIBLE, f.certainty());
    assertTrue(f.location().orElseThrow().sourceLine().contains("--ctstate UNTRACKED"), f.toString());
    Witness w = f.witness().orElseThrow();
    assertEquals("UNTRACKED", w.state());
    assertFalse(w.replayable());
    assertEquals("eth0", w.oif());
    // only what the TEE rule copies: udp to port 9999
    assertEquals("udp", w.proto());
    assertEquals(9999, w.dport());
    assertTrue(w.describe().endsWith(" in state UNTRACKED"), w.describe());
  }

  @Test
  void withoutSuchARuleTheCopiesStayIn() {
    assertEquals(List.of(), copies(v4(MANGLE, "")));
    // the same rule without any TEE: no copies, so nothing to report about them
    assertEquals(List.of(), copies(v4("", "-A OUTPUT -o eth0 -m conntrack --ctstate UNTRACKED -j ACCEPT\n")));
  }

  @Test
  void aCopyThatWouldLeakAsANewConnectionIsReportedOnceAsThat() {
    // policy-like blanket accept on eth0: the new-connection finding covers the copies too
    List<Finding> all = KillswitchAudit.audit(List.of(v4(MANGLE, "-A OUTPUT -o eth0 -j ACCEPT\n")), AuditOptions.defaults());
    assertTrue(all.stream().anyMatch(f -> f.category() == Category.DIRECT_LEAK && f.severity() == Severity.ERROR), all.toString());
    assertEquals(List.of(), all.stream().filter(f -> f.kind() == FindingKind.TEE_COPY).toList());
  }
}
