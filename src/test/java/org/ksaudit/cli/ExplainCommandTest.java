package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.live.HostChecks;

/** {@code ksaudit explain}: every check documents itself. */
class ExplainCommandTest {
  @Test
  void everyCheckHasItsDocumentation() {
    for (CheckInfo c : CheckInfos.all()) {
      CliRun r = CliRun.of("explain", c.id());
      assertEquals(0, r.code());
      for (String section : new String[] {"What it means", "Why it leaks", "Insecure example", "Secure example", "References"}) {
        assertTrue(r.out().contains(section), c.id() + " lacks " + section);
      }
      assertTrue(r.out().startsWith(c.id() + " " + c.category().jsonName()), r.out());
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
    assertEquals(KillswitchAudit.checks().size() + 1 + HostChecks.infos().size(), list.split("\n").length, list);
    assertTrue(list.contains("KS113  suppression"), "the suppressions' own ID is listed too");
    assertTrue(list.contains("KS116  dns-path"), "the checks only a live audit makes are listed too");
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
    for (CheckInfo c : CheckInfos.all()) assertTrue(ids.add(c.id()), c.id());
    assertEquals(20, ids.size());
  }
}
