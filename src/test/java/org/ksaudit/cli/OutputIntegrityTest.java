package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.StreamSupport;
import org.ksaudit.testsupport.ReportSchema;

/**
 * What a run leaves behind can be trusted: a report that could not be written is exit 3, a JSON
 * run always writes a JSON document, the JSON summary counts every error, and syntax errors go
 * to the report's stream for check and trace alike.
 */
class OutputIntegrityTest {
  private static final String RULES = "testdata/seed/article.v4";
  private static final String BROKEN = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -j NOSUCHTARGET\n-A OUTPUT --nosuch -j DROP\nCOMMIT\n";

  @TempDir Path dir;

  /** Runs with standard output on /dev/full, where every write fails with ENOSPC. */
  private static CliRun toFullDisk(String... args) throws FileNotFoundException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream full = new PrintStream(new FileOutputStream("/dev/full"), true)) {
      int code = Main.run(args, InputStream.nullInputStream(), full, new PrintStream(err, true));
      return new CliRun(code, "", err.toString(StandardCharsets.UTF_8));
    }
  }

  @Test
  void aReportLostToAFullDiskIsExit3() throws FileNotFoundException {
    if (!Files.isWritable(Path.of("/dev/full"))) return;
    for (String[] args : List.of(new String[] {"check", RULES}, new String[] {"check", RULES, "--format", "json"},
        new String[] {"trace", RULES, "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0"},
        new String[] {"explain"}, new String[] {"explain", "KS102"}, new String[] {"probe", "--help"}, new String[] {"--version"})) {
      CliRun r = toFullDisk(args);
      assertEquals(3, r.code(), String.join(" ", args) + ": " + r.err());
      assertTrue(r.err().contains("ksaudit: cannot write to standard output"), r.err());
    }
  }

  private JsonNode json(CliRun r) {
    return ReportSchema.parse(r.out());
  }

  private static JsonNode error(JsonNode doc) {
    return doc.get("error");
  }

  private Path broken() {
    try {
      return Files.writeString(dir.resolve("broken.v4"), BROKEN);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void usageAndInputErrorsStillWriteJson() {
    for (String[] args : List.of(
        new String[] {"check", "--format", "json", dir.resolve("missing.v4").toString()},
        new String[] {"check", "--format", "json"},
        new String[] {"check", "--format=json", RULES, "--fail-on", "fatal"},
        new String[] {"check", "--format", "json", RULES, "--nosuch"},
        new String[] {"check", "--format", "json", "--ipv4", "/dev/zero"},
        new String[] {"trace", "--format", "json", "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0"},
        new String[] {"trace", "--format", "json", RULES, "--proto", "udp", "--dst", "198.51.100.1", "--dport", "70000", "--out", "eth0"},
        new String[] {"probe", "--format", "json", "--lab", dir.resolve("missing.v4").toString()},
        new String[] {"probe", "--format", "json", "--lab", broken().toString()},
        new String[] {"explain", "--format", "json", "KS999"})) {
      CliRun r = CliRun.of(args);
      assertEquals(2, r.code(), String.join(" ", args));
      JsonNode e = error(json(r));
      assertEquals(2, e.get("exitCode").intValue(), r.out());
      assertFalse(e.get("message").textValue().isBlank(), r.out());
      assertFalse(r.err().isBlank(), "the one line on stderr as well");
    }
  }

  @Test
  void theJsonSummaryCountsDiagnostics() throws IOException {
    Path f = dir.resolve("broken.v4");
    Files.writeString(f, BROKEN);
    CliRun r = CliRun.of("check", f.toString(), "--format", "json");
    assertEquals(2, r.code());
    JsonNode doc = json(r);
    long errors = StreamSupport.stream(doc.get("diagnostics").spliterator(), false)
        .filter(d -> "error".equals(d.get("severity").textValue())).count();
    assertEquals(2, errors, r.out());
    assertEquals(errors, doc.get("summary").get("error").longValue(), r.out());
  }

  @ParameterizedTest
  @ValueSource(strings = {"check", "trace"})
  void syntaxErrorsGoToStandardOutputForCheckAndTrace(String command) throws IOException {
    Path f = dir.resolve("broken.v4");
    Files.writeString(f, BROKEN);
    CliRun r = command.equals("check") ? CliRun.of("check", f.toString())
        : CliRun.of("trace", f.toString(), "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0");
    assertEquals(2, r.code());
    assertTrue(r.out().contains(f + ":3:14: error:"), r.out());
    assertTrue(r.out().contains(f + ":4:11: error:"), r.out());
    assertTrue(r.out().endsWith("2 errors: iptables-restore would refuse this file\n")
        || r.out().endsWith("2 errors: the rules have errors; iptables-restore would refuse them\n"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void warningsOfRulesThatLoadKeepTheBatchOutputOneLinePerProbe() throws IOException {
    Path f = dir.resolve("icmp.v6");
    Files.writeString(f, "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -p icmp -j ACCEPT\nCOMMIT\n");
    Path probes = dir.resolve("probes");
    Files.writeString(probes, "udp 2001:db8::1 53 eth0\nicmp 2001:db8::1 - eth0\n");
    CliRun r = CliRun.of("trace", "--ipv6", f.toString(), "--probes", probes.toString());
    assertEquals(0, r.code(), r.both());
    assertEquals(2, r.out().split("\n").length, r.out());
    assertTrue(r.err().contains(f + ":3:14: warning:"), r.err());
  }

  @Test
  void traceJsonWithSyntaxErrorsCarriesTheDiagnosticsAndTheError() throws IOException {
    Path f = dir.resolve("broken.v4");
    Files.writeString(f, BROKEN);
    CliRun r = CliRun.of("trace", f.toString(), "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "eth0",
        "--format", "json");
    assertEquals(2, r.code());
    JsonNode doc = json(r);
    assertEquals(2, doc.get("diagnostics").size(), r.out());
    assertEquals(0, doc.get("results").size(), r.out());
    assertEquals(2, error(doc).get("exitCode").intValue());
  }
}
