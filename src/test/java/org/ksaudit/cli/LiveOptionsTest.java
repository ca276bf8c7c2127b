package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --live, --root and --from: what they refuse, and a saved state audited like files. */
class LiveOptionsTest {
  @TempDir Path dir;

  @Test
  void contradictoryOrMisplacedOptionsAreUsageErrors() {
    assertRefused(CliRun.of("check", "--root", "/"), "--root is for --live");
    assertRefused(CliRun.of("check", "--live", "--from", dir.toString()), "exclude each other");
    assertRefused(CliRun.of("check", "--from", dir.toString(), "--root", "/"), "--root is for --live");
    assertRefused(CliRun.of("check", "--from", dir.toString(), "testdata/seed/article.v4"), "give no ruleset files");
    assertRefused(CliRun.of("check", "--from", dir.resolve("missing").toString()), "no such folder");
  }

  @Test
  void aBrokenSavedOutputIsOneLineWithTheFile() throws Exception {
    Files.writeString(dir.resolve("ip-addr.json"), "[{\"ifname\": \"eth0\", ");
    CliRun r = CliRun.of("check", "--from", dir.toString());
    assertRefused(r, "ip-addr.json is not the JSON the command prints");
    assertEquals(1, r.err().strip().lines().count(), r.err());
  }

  @Test
  void aSavedStateIsAuditedLikeItsDumps() throws Exception {
    Files.writeString(dir.resolve("iptables-nft-save.txt"), Files.readString(Path.of("testdata/seed/article.v4")));
    Files.writeString(dir.resolve("sysctl.txt"), "net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n");
    CliRun saved = CliRun.of("check", "--from", dir.toString());
    CliRun file = CliRun.of("check", "--sysctl", dir.resolve("sysctl.txt").toString(), "--ipv4", dir.resolve("iptables-nft-save.txt").toString());
    assertEquals(file.code(), saved.code());
    assertTrue(saved.out().contains("KS118"), "live rules saved nowhere: " + saved.out());
    assertTrue(!saved.out().contains("KS103"), "the saved sysctls disable IPv6 as --sysctl does: " + saved.out());
  }

  @Test
  void aFamilyWithoutRulesOnTheHostIsOneNoSaveToolPrinted() throws Exception {
    Files.writeString(dir.resolve("iptables-nft-save.txt"), Files.readString(Path.of("testdata/seed/article.v4")));
    CliRun saved = CliRun.of("check", "--from", dir.toString());
    assertTrue(saved.out().contains("ipv6-leak: no ip6tables rules were read from the host (neither ip6tables-nft-save nor"
        + " ip6tables-legacy-save printed any) and no sysctl setting disables IPv6"), saved.out());
    assertFalse(saved.out().contains("no IPv6 ruleset given"), "no ruleset was given: none was asked for");
  }

  private static void assertRefused(CliRun r, String why) {
    assertEquals(2, r.code(), r.out() + r.err());
    assertTrue((r.out() + r.err()).contains(why), r.out() + r.err());
  }
}
