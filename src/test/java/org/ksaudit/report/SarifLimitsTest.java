package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.TraceStep;
import org.ksaudit.check.Category;
import org.ksaudit.check.Certainty;
import org.ksaudit.check.Check;
import org.ksaudit.check.Finding;
import org.ksaudit.check.FindingKind;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.check.Location;
import org.ksaudit.check.Witness;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.SourcePos;
import org.ksaudit.testsupport.SarifSchema;

/** GitHub's limits on a SARIF upload, 25,000 results per run and 10 MB gzipped, tested with smaller limits. */
class SarifLimitsTest {
  private static CheckReport report(int findings) {
    List<Finding> all = new ArrayList<>();
    for (int i = 1; i <= findings; i++) {
      String line = "-A OUTPUT -d 198.51." + (i / 256 % 256) + "." + (i % 256) + " -j ACCEPT";
      all.add(new Finding("KS106", Category.DIRECT_LEAK, FindingKind.NEW_CONNECTION, Severity.ERROR, Certainty.DEFINITE, "r.v4",
          Optional.of(new Location(new SourcePos("r.v4", i, 11), 12, line)), "direct leak " + i,
          Optional.of(new Witness(Family.IPV4, "tcp", "198.51.100." + (i % 256), 443, "eth0")),
          List.of(new TraceStep("r.v4", i, "filter", "OUTPUT", "ACCEPT", false))));
    }
    return new CheckReport("dev", List.of(new CheckReport.Input("r.v4", Family.IPV4)), List.of(), List.of(), all, Optional.empty(),
        new Sources(), KillswitchAudit.checks().stream().map(Check::info).toList(), Optional.of(Severity.ERROR));
  }

  @Test
  void aRunHoldsAtMostTheLimitOfResults() throws IOException {
    assertEquals(25_000, SarifReport.MAX_RESULTS_PER_RUN, "GitHub's limit");
    assertEquals(10_000_000, SarifReport.MAX_GZIPPED_BYTES, "GitHub's limit");
    JsonNode run = new ObjectMapper().readTree(new SarifReport(Optional.empty(), 25, Long.MAX_VALUE).write(report(26)))
        .get("runs").get(0);
    assertEquals(25, run.get("results").size());
    String note = run.get("invocations").get(0).get("toolExecutionNotifications").get(0).get("message").get("text").textValue();
    assertTrue(note.startsWith("1 findings left out"), note);
  }

  @Test
  void aLogTooLargeOnceGzippedLosesFlowsThenResultsAndSaysSo() {
    String small = new SarifReport(Optional.empty(), SarifReport.MAX_RESULTS_PER_RUN, 12_000).write(report(100));
    JsonNode run = SarifSchema.parse(small).get("runs").get(0);
    assertTrue(run.get("results").size() < 100);
    assertTrue(IntStream.range(0, run.get("results").size()).noneMatch(i -> run.get("results").get(i).has("codeFlows")));
    JsonNode notes = run.get("invocations").get(0).get("toolExecutionNotifications");
    assertTrue(notes.get(0).get("message").get("text").textValue().startsWith("code flows and related locations left out"));
    assertTrue(notes.get(notes.size() - 1).get("message").get("text").textValue().contains("results left out"));
    assertFalse(new SarifReport(Optional.empty()).write(report(100)).contains("left out"), "GitHub's limit keeps all 100");
  }
}
