package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.testsupport.ReportSchema;

/**
 * {@code ksaudit check DIR|GLOB...}: hosts paired by name, files that name no family left
 * out, reports in host order on every run, the worst exit code, one JSON document.
 */
class FleetCheckTest {
  private static final Path KS = Path.of("testdata/killswitches");

  @Test
  void pairsByNameAndReportsInHostOrderWithTheWorstExitCode(@TempDir Path dir) throws Exception {
    Files.copy(KS.resolve("hardened-openvpn.v4"), dir.resolve("b-host.v4"));
    Files.copy(Path.of("testdata/diff/base.v6"), dir.resolve("b-host.v6"));
    Files.copy(KS.resolve("dns-first.v4"), dir.resolve("a-host.v4"));
    Files.copy(KS.resolve("dns-first.v6"), dir.resolve("a-host.v6"));
    Files.createDirectory(dir.resolve("site"));
    Files.copy(KS.resolve("v6-lan.v6"), dir.resolve("site/c-host.v6"));
    Files.writeString(dir.resolve("README.md"), "not a ruleset\n");
    CliRun r = CliRun.of("check", dir.toString());
    assertEquals(1, r.code(), r.both());
    String a = dir.resolve("a-host").toString();
    String b = dir.resolve("b-host").toString();
    String c = dir.resolve("site/c-host").toString();
    int ia = r.out().indexOf("== " + a + " (" + a + ".v4, " + a + ".v6)");
    int ib = r.out().indexOf("== " + b + " (" + b + ".v4, " + b + ".v6)");
    int ic = r.out().indexOf("== " + c + " (" + c + ".v6)");
    assertTrue(ia >= 0 && ib > ia && ic > ib, r.out());
    assertTrue(r.out().matches("(?s).*\n\\Q" + b + "\\E +0  no findings: .*"), r.out());
    assertTrue(r.out().endsWith("3 hosts: 1 clean, 2 with findings, 0 refused (bad input), 0 failed; exit 1\n"), r.out());
    assertEquals(r.out(), CliRun.of("check", dir.toString()).out(), "the same report on every run");

    Files.writeString(dir.resolve("d-host.v4"), "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -j NOSUCHCHAIN\nCOMMIT\n");
    CliRun broken = CliRun.of("check", dir.toString());
    assertEquals(2, broken.code(), broken.both());
  }

  @Test
  void oneJsonDocumentHoldsEveryHostsReport(@TempDir Path dir) throws Exception {
    Files.copy(KS.resolve("hardened-openvpn.v4"), dir.resolve("x.v4"));
    Files.copy(KS.resolve("hardened-openvpn.v6"), dir.resolve("x.v6"));
    Files.copy(KS.resolve("dns-first.v4"), dir.resolve("y.v4"));
    CliRun r = CliRun.of("check", "--format", "json", "--no-ipv6", dir.resolve("*.v4").toString());
    assertEquals(1, r.code(), r.both());
    JsonNode doc = ReportSchema.parse(r.out());
    JsonNode hosts = doc.get("hosts");
    assertEquals(2, hosts.size(), r.out());
    JsonNode x = hosts.get(0);
    assertEquals(dir.resolve("x").toString(), x.get("host").asText());
    assertEquals(List.of(dir.resolve("x.v4").toString()), StreamSupport.stream(x.get("files").spliterator(), false)
        .map(JsonNode::asText).toList(), "the glob names only the .v4 files");
    assertEquals(0, x.get("exitCode").intValue());
    assertEquals(0, x.get("report").get("findings").size(), r.out());
    assertEquals(1, doc.get("summary").get("exitCode").intValue());
  }

  @Test
  void optionsNamingOneFileAreRefused(@TempDir Path dir) throws Exception {
    Files.copy(KS.resolve("hardened-openvpn.v4"), dir.resolve("x.v4"));
    CliRun r = CliRun.of("check", "--ipv6", "testdata/diff/base.v6", dir.toString());
    assertEquals(2, r.code(), r.both());
    assertTrue(r.err().contains("--ipv6 names one host's file"), r.err());
  }
}
