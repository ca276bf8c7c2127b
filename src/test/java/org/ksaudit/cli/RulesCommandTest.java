package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.check.CheckInfo;

/** {@code ksaudit rules}: one line per finding ID, from the text {@code explain} prints. */
class RulesCommandTest {
  @Test
  void everyIdHasOneLineWithCategorySeverityAndTheSummaryExplainPrints() {
    CliRun r = CliRun.of("rules");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    List<CheckInfo> all = CheckInfos.all();
    assertEquals(all.size(), lines.size(), r.out());
    for (int i = 0; i < all.size(); i++) {
      String id = all.get(i).id();
      String line = lines.get(i);
      String[] words = line.split("\\s+", 4);
      assertEquals(id, words[0], line);
      // explain's first line is "ID CATEGORY (SEVERITY): SUMMARY"
      String explained = CliRun.of("explain", id).out().lines().findFirst().orElseThrow();
      assertEquals(id + " " + words[1] + " (" + words[2] + "): " + words[3], explained);
    }
    assertTrue(lines.stream().anyMatch(l -> l.matches("KS113\\s+suppression\\s+warning\\s+.+")), r.out());
  }
}
