package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code check} audits what the restore tools load, not what the file seems to say. The load
 * semantics used here were read back from both backends after real commits
 * (LoadedTablesKernelTest over testdata/syntax/duplicate-tables.v4.cases, nul-bytes.v4.cases and the
 * long-lines cases).
 */
class LoadSemanticsCheckTest {
  private static final String V6 = "testdata/killswitches/hardened-openvpn.v6";
  private static final String KILLSWITCH = "*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT DROP [0:0]\n"
      + "-A OUTPUT -o lo -j ACCEPT\n-A OUTPUT -o tun0 -j ACCEPT\nCOMMIT\n";

  @TempDir
  Path dir;

  private String write(String name, String text) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, text.getBytes(StandardCharsets.UTF_8));
    return p.toString();
  }

  @Test
  void theKillswitchAloneIsClean() throws IOException {
    CliRun r = CliRun.of("check", write("ks.v4", KILLSWITCH), V6);
    assertEquals(0, r.code(), r.out());
  }

  /** nf_tables starts the second block from an empty table: OUTPUT has no hook, so everything leaves. */
  @Test
  void aSecondFilterBlockReplacesTheKillswitchAndTheWorseBackendIsNamed() throws IOException {
    CliRun r = CliRun.of("check", write("dup.v4", KILLSWITCH + "*filter\n-A INPUT -i lo -j ACCEPT\nCOMMIT\n"), V6);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("warning: table \"filter\" was already committed (line 1)"), r.out());
    assertTrue(r.out().contains("[KS106, definite]"), r.out());
    assertTrue(r.out().contains("as iptables-nft-restore loads the rules"), r.out());
  }

  /** The same killswitch declared again in full: both backends load the same, nothing is named. */
  @Test
  void aRepeatedIdenticalBlockNamesNoBackend() throws IOException {
    CliRun r = CliRun.of("check", write("twice.v4", KILLSWITCH + KILLSWITCH), V6);
    assertEquals(0, r.code(), r.out());
    assertFalse(r.out().contains("loads the rules"), r.out());
  }

  /** A NUL before "-j REJECT" leaves a rule with no target: the DNS it was to refuse reaches the ACCEPT after it. */
  @Test
  void aNulBeforeTheTargetLosesIt() throws IOException {
    String rules = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -p udp --dport 53\0 -j REJECT\n"
        + "-A OUTPUT -d 203.0.113.10 -p udp --dport 53 -j ACCEPT\nCOMMIT\n";
    CliRun r = CliRun.of("check", write("nul.v4", rules), V6);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("nul.v4:4:28: warning: NUL byte"), r.out());
    assertTrue(r.out().contains("[KS102, definite]"), r.out());
  }

  /** A NUL after the target costs nothing: both backends load "-j REJECT". */
  @Test
  void aNulAfterTheTargetIsOnlyAWarning() throws IOException {
    String rules = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o tun0 -j ACCEPT\n-A OUTPUT -p udp --dport 53 -j REJECT\0junk\n"
        + "-A OUTPUT -d 203.0.113.10 -p udp --dport 53 -j ACCEPT\nCOMMIT\n";
    CliRun r = CliRun.of("check", write("nul-after.v4", rules), V6);
    assertTrue(r.out().contains("nul-after.v4:4:38: warning: NUL byte"), r.out());
    assertFalse(r.out().contains("KS102"), r.out());
    assertFalse(r.out().contains("does not exist"), r.out());
  }

  /**
   * iptables-restore reads 10,239 bytes at a time, each read a line of its own: a comment that
   * long hides nothing from it, and the DNS allowance after the cut is loaded (both backends).
   */
  @Test
  void aRuleAfterTheCutOfALongCommentIsAuditedWhereItStands() throws IOException {
    String rules = KILLSWITCH.replace("COMMIT\n", "#".repeat(10_239) + "-A OUTPUT -p udp --dport 53 -j ACCEPT\nCOMMIT\n");
    CliRun r = CliRun.of("check", write("hidden.v4", rules), V6);
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains("hidden.v4:7:10240: warning: line of 10277 bytes"), r.out());
    assertTrue(r.out().contains("hidden.v4:7:10257: error: dns-leak: "), r.out());
  }
}
