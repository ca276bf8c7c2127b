package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.testsupport.Host;
import org.ksaudit.testsupport.ReportSchema;

/**
 * {@code ksaudit report --lab} on the seed article's rules (root and the lab's programs, as the
 * lab tests): the lab's measurements land in report.json beside the audit, the leaks the article
 * lets out are new problems (exit 1), and everything the report does besides the lab takes at
 * most 2 s (issue 13: "within the lab's own time plus 2 s"). Two scenarios keep it short: what
 * the report adds to the lab does not depend on how many run.
 */
class ReportLabTest {
  @TempDir Path tmp;

  @BeforeAll
  static void needsTheLab() {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "python3", "openvpn", "openssl");
  }

  @Test
  void theLabRunIsPartOfTheReportAndTheReportAddsAtMostTwoSeconds() throws Exception {
    Path out = tmp.resolve("history");
    long t0 = System.nanoTime();
    CliRun run = CliRun.of("report", "--out", out.toString(), "--lab", "--scenario", "baseline", "--scenario", "tunnel-down",
        "testdata/seed/article.v4", "testdata/seed/article.v6");
    double wall = (System.nanoTime() - t0) / 1e9;
    assertEquals(1, run.code(), run.both());
    JsonNode doc = ReportSchema.parse(Files.readString(out.resolve("latest").resolve("report.json")));
    JsonNode lab = doc.path("lab");
    assertTrue(lab.path("baseline").path("works").asBoolean(), "the article's VPN works through its rules: " + lab.path("baseline"));
    assertTrue(lab.path("summary").path("leaks").asInt() > 0, "the article leaks when the tunnel is down");
    assertEquals(0, lab.path("summary").path("disagreements").asInt(), lab.toString());
    assertTrue(doc.path("verdict").path("text").asText().contains("leaks measured in the lab: tunnel-down"), doc.path("verdict").toString());
    double labSeconds = lab.path("summary").path("seconds").asDouble();
    System.out.printf("ReportLabTest: report --lab %.1f s, the lab %.1f s%n", wall, labSeconds);
    assertTrue(wall <= labSeconds + 2.0, String.format("report --lab took %.1f s, the lab %.1f s of it", wall, labSeconds));
  }
}
