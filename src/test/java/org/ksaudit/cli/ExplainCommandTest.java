package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ksaudit.check.Check;
import org.ksaudit.check.KillswitchAudit;

/** {@code ksaudit explain}: every check documents itself. */
class ExplainCommandTest {
  @Test
  void everyCheckHasItsDocumentation() {
    for (Check c : KillswitchAudit.checks()) {
      CliRun r = CliRun.of("explain", c.info().id());
      assertEquals(0, r.code());
      for (String section : new String[] {"What it means", "Why it leaks", "Insecure example", "Secure example", "References"}) {
        assertTrue(r.out().contains(section), c.info().id() + " lacks " + section);
      }
      assertTrue(r.out().startsWith(c.info().id() + " " + c.info().category().jsonName()), r.out());
      assertTrue(r.out().contains("How it is reported\n") && r.out().contains("\"locations\""), r.out());
    }
  }

  @Test
  void leakPagesSayHowTrafficAndLocationsRead() {
    for (String id : new String[] {"KS102", "KS103", "KS104", "KS105", "KS106", "KS107", "KS111"}) {
      String page = CliRun.of("explain", id).out();
      assertTrue(page.contains("\"traffic\"") && page.contains("and N more: lines"), id + ":\n" + page);
    }
    assertTrue(CliRun.of("explain", "KS112").out().contains("and N more: lines"));
    assertTrue(!CliRun.of("explain", "KS109").out().contains("\"traffic\""));
  }

  @Test
  void categoriesWorkAsIdsAndTheListNamesAll() {
    assertTrue(CliRun.of("explain", "dns-leak").out().startsWith("KS102 dns-leak"));
    String list = CliRun.of("explain").out();
    assertEquals(KillswitchAudit.checks().size(), list.split("\n").length, list);
    assertTrue(CliRun.of("explain", "KS102").out().contains("TunnelCrack"));
    assertTrue(CliRun.of("explain", "KS105").out().contains("TunnelVision"));
  }

  @Test
  void unknownIdsAreUsageErrors() {
    assertEquals(2, CliRun.of("explain", "KS999").code());
  }

  @Test
  void idsAreStableAndUnique() {
    java.util.Set<String> ids = new java.util.HashSet<>();
    for (Check c : KillswitchAudit.checks()) assertTrue(ids.add(c.info().id()), c.info().id());
    assertEquals(12, ids.size());
  }
}
