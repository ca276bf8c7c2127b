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
 * lets out are new problems (exit 1), and the report adds at most 2 s to the lab (issue 13:
 * "within the lab's own time plus 2 s"). The lab's own time is what {@code probe --lab} spends:
 * the audit whose witnesses it sends (timed here as {@code check} of the same files, first, in
 * this JVM) and the lab run its report times. Measured at a load average of 24-28 on two cores,
 * the audit alone takes 7-10 s of wall time there (2.5-3 s of CPU), so the lab's timer alone
 * cannot be the measure. Two scenarios keep it short: what the report adds does not depend on
 * how many run.
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
    long c0 = System.nanoTime();
    CliRun.of("check", "testdata/seed/article.v4", "testdata/seed/article.v6");
    double audit = (System.nanoTime() - c0) / 1e9;
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
    double labSeconds = lab.path("summary").path("seconds").asDouble();
    System.out.printf("ReportLabTest: report --lab %.1f s; the lab %.1f s, the audit (check) %.1f s%n", wall, labSeconds, audit);
    String verdict = doc.path("verdict").path("text").asText();
    assertTrue(verdict.matches(".*leaks measured in the lab: .*tunnel-down.*"), "the verdict names the scenario that leaked: " + verdict);
    assertTrue(wall <= labSeconds + audit + 2.0,
        String.format("report --lab took %.1f s; the lab %.1f s, the audit %.1f s", wall, labSeconds, audit));
  }
}
