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
 * its ID, its file's name, rule text and witness class, never by its line, so a rule inserted
 * above it changes nothing; a new way out is reported, and so is another host's finding.
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
    // the same file name in another folder: a checkout elsewhere
    Path moved = fx.write("repo/next/old.v4", GateFixture.KILLSWITCH_HEAD.replace("-A OUTPUT -o lo", UNRELATED + "\n-A OUTPUT -o lo")
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
    Path more = fx.rules("more/old.v4", LAN, "-A OUTPUT -d 10.0.0.0/8 -j ACCEPT");
    CliRun r = fx.check(more, "--baseline", baseline.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().contains(more + ":10:11: error: lan-exemption"), r.out());
    assertFalse(r.out().contains(more + ":9:11: error"), r.out());
    // a second rule of the known shape makes the finding cover a rule the baseline did not know
    Path grown = fx.rules("grown/old.v4", LAN, "-A OUTPUT -d 192.168.2.0/24 -m comment --comment \"printer LAN\" -j ACCEPT");
    CliRun g = fx.check(grown, "--baseline", baseline.toString());
    assertEquals(1, g.code(), g.out());
    assertTrue(g.out().contains("and 1 more: line 10"), g.out());
  }

  @Test
  void anotherHostsFindingIsNeverKnown() throws Exception {
    // host b's rules are host a's to the letter: the same ID, rule, line and witness class
    Path a = fx.rules("fleet/a.v4", LAN);
    Path b = fx.rules("fleet/b.v4", LAN);
    CliRun single = fx.check(b, "--baseline", baseline.toString());
    assertEquals(1, single.code(), "old.v4's baseline does not know b.v4's finding: " + single.out());
    // a fleet's JSON report is the baseline of each of its hosts: one of host a alone knows a's finding, not b's
    Path aAlone = fx.rules("earlier/a.v4", LAN);
    CliRun earlier = fx.run("check", aAlone.getParent().toString(), "--no-ipv6", "--endpoint", "198.51.100.1:1194/udp", "--format", "json");
    assertEquals(1, earlier.code(), earlier.both());
    Path fleetBaseline = fx.root.resolve("fleet.json");
    Files.writeString(fleetBaseline, earlier.out());
    CliRun now = fx.run("check", a.getParent().toString(), "--no-ipv6", "--endpoint", "198.51.100.1:1194/udp", "--baseline",
        fleetBaseline.toString());
    assertEquals(1, now.code(), now.both());
    assertTrue(now.out().contains(b + ":9:11: error: lan-exemption"), now.out());
    assertFalse(now.out().contains(a + ":9:11: error"), now.out());
    CliRun write = fx.run("check", a.getParent().toString(), "--write-baseline", fleetBaseline.toString());
    assertEquals(2, write.code(), write.both());
    assertTrue(write.err().contains("a fleet's is its JSON report"), write.err());
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
