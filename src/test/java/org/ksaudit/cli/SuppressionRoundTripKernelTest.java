package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.Netns;
import org.ksaudit.testsupport.Host;

/**
 * An inline suppression survives the kernel: the rules are committed in a scratch namespace
 * with each iptables backend and dumped again with its iptables-save, which quotes every
 * comment and escapes quotes, backslashes and apostrophes (measured: {@code "it\'s"}); the dump
 * must suppress what the original suppresses, with the reason as written, and the suppression
 * without a reason must still be reported.
 */
class SuppressionRoundTripKernelTest {
  private static final String REASON = "printer \"room 2\", back\\slash: it's reviewed";
  private static final String[] RULES = {
    "-A OUTPUT -d 192.168.1.0/24 -m comment --comment \"ksaudit:ignore=KS105:until=2999-12-31 "
        + REASON.replace("\\", "\\\\").replace("\"", "\\\"") + "\" -j ACCEPT",
    "-A OUTPUT -d 10.0.0.0/8 -m comment --comment ksaudit:ignore=KS105 -j ACCEPT",
  };

  @Test
  void savedRulesSuppressWhatTheOriginalSuppresses(@TempDir Path dir) throws LabException, IOException {
    Host.requireRootWith("ip", "iptables-nft-restore", "iptables-nft-save", "iptables-legacy-restore", "iptables-legacy-save");
    GateFixture fx = new GateFixture(dir);
    Path original = fx.rules("original.v4", RULES);
    String jsonReason = "\"reason\":\"" + REASON.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    for (String backend : new String[] {"nft", "legacy"}) {
      String saved;
      try (Netns ns = Netns.create("gate")) {
        Exec.Result load = ns.exec(Files.readString(original), 60_000, "iptables-" + backend + "-restore", "--wait=60");
        assertTrue(load.ok(), backend + " refused the rules: " + load.stderr());
        Exec.Result save = ns.exec(null, 60_000, "iptables-" + backend + "-save");
        assertTrue(save.ok(), save.stderr());
        saved = save.stdout();
      }
      assertTrue(saved.contains("--comment \"ksaudit:ignore=KS105\""), saved);
      assertTrue(saved.contains("it\\'s reviewed"), saved);
      Path dump = fx.write("repo/saved-" + backend + ".v4", saved);
      for (Path rules : new Path[] {original, dump}) {
        CliRun r = fx.check(rules, "--format", "json");
        assertEquals(1, r.code(), r.out());
        assertTrue(r.out().contains("\"suppressed\":{\"kind\":\"inline\"," + jsonReason + ",\"until\":\"2999-12-31\""), backend + ": " + r.out());
        assertTrue(r.out().contains("\"message\":\"the suppression of KS105 gives no reason"), r.out());
        assertTrue(r.out().contains("\"summary\":{\"error\":1,\"warning\":1,\"info\":0,\"suppressed\":1}"), r.out());
      }
    }
  }
}
