package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --baseline} / {@code --write-baseline}: a finding an earlier run reported is known by
 * its ID, rule text and witness class, never by its line, so a rule inserted above it changes
 * nothing; a new way out is reported.
 */
class BaselineTest {
  private static final String LAN = "-A OUTPUT -d 192.168.1.0/24 -m comment --comment \"printer LAN\" -j ACCEPT";
  private static final String UNRELATED = "-A OUTPUT -o eth0 -p udp -m udp --dport 9 -j DROP";
  private GateFixture fx;
  private Path baseline;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    fx = new GateFixture(dir);
    baseline = dir.resolve("baseline.json");
    CliRun first = fx.check(fx.rules("old.v4", LAN), "--write-baseline", baseline.toString());
    assertEquals(1, first.code(), first.out());
    assertTrue(first.err().contains("wrote the baseline " + baseline + " (1 finding)"), first.err());
  }

  @Test
  void aKnownFindingStaysKnownWhenAnUnrelatedRuleIsInsertedAboveIt() {
    // the rule moves from line 9 to line 10, its comment changes, and the counters of a save appear
    Path moved = fx.write("repo/new.v4", GateFixture.KILLSWITCH_HEAD.replace("-A OUTPUT -o lo", UNRELATED + "\n-A OUTPUT -o lo")
        + "[12:3456] " + LAN.replace("printer LAN", "printers, reviewed") + "\nCOMMIT\n");
    CliRun r = fx.check(moved, "--baseline", baseline.toString(), "--format", "json");
    assertEquals(0, r.code(), r.out());
    assertTrue(r.out().contains("\"line\":10,"), r.out());
    assertTrue(r.out().contains("\"suppressed\":{\"kind\":\"baseline\",\"reason\":\"known in the baseline " + baseline + "\""), r.out());
    CliRun text = fx.check(moved, "--baseline", baseline.toString());
    assertTrue(text.out().contains("no findings reported; 1 suppressed"), text.out());
  }

  @Test
  void aNewWayOutIsReported() {
    Path more = fx.rules("more.v4", LAN, "-A OUTPUT -d 10.0.0.0/8 -j ACCEPT");
    CliRun r = fx.check(more, "--baseline", baseline.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains(more + ":10:11: error: lan-exemption"), r.out());
    assertFalse(r.out().contains(more + ":9:11: error"), r.out());
    // a second rule of the known shape makes the finding cover a rule the baseline did not know
    Path grown = fx.rules("grown.v4", LAN, "-A OUTPUT -d 192.168.2.0/24 -m comment --comment \"printer LAN\" -j ACCEPT");
    CliRun g = fx.check(grown, "--baseline", baseline.toString());
    assertEquals(1, g.code(), g.out());
    assertTrue(g.out().contains("and 1 more: line 10"), g.out());
  }

  @Test
  void aBaselineThatIsNoKsauditReportIsRefused() throws Exception {
    Path rules = fx.rules("old.v4", LAN);
    Files.writeString(baseline, "{\"version\":\"2.1.0\",\"runs\":[]}");
    CliRun sarif = fx.check(rules, "--baseline", baseline.toString());
    assertEquals(2, sarif.code(), sarif.both());
    assertTrue(sarif.err().contains("--baseline: " + baseline + " is not a ksaudit JSON report"), sarif.err());
    Files.writeString(baseline, "{\"tool\":\"ksaudit\",\"findings\":[");
    CliRun cut = fx.check(rules, "--baseline", baseline.toString());
    assertEquals(2, cut.code(), cut.both());
    assertTrue(cut.err().contains("--baseline: " + baseline + " is not JSON: "), cut.err());
  }
}
