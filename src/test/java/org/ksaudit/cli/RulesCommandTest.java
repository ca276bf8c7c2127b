package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ksaudit rules}: one line per finding ID, from the text {@code explain} prints. */
class RulesCommandTest {
  @Test
  void everyIdHasOneLineWithCategorySeverityAndTheSummaryExplainPrints() {
    CliRun r = CliRun.of("rules");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(13, lines.size(), r.out());
    for (int n = 101; n <= 113; n++) {
      String id = "KS" + n;
      String line = lines.get(n - 101);
      String[] words = line.split("\\s+", 4);
      assertEquals(id, words[0], line);
      // explain's first line is "ID CATEGORY (SEVERITY): SUMMARY"
      String explained = CliRun.of("explain", id).out().lines().findFirst().orElseThrow();
      assertEquals(id + " " + words[1] + " (" + words[2] + "): " + words[3], explained);
    }
    assertTrue(lines.get(12).matches("KS113\\s+suppression\\s+warning\\s+.+"), lines.get(12));
  }
}
