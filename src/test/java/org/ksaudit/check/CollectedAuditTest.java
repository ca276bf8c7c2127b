package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The checks keep their packet sets in scopes, never as roots they register: with the node
 * store collected at every step, the audit must find exactly what it finds with normal
 * collections (a set the store lost would change a message, a witness, or fail).
 */
class CollectedAuditTest {
  /** Fixtures with new and open connections, marked packets, RETURN allowances and a forward leak. */
  private static final Set<String> NAMES = Set.of("wgquick-fwmark", "established-anywhere", "return-allowances", "forward-docker");

  @AfterEach
  void collectNormally() {
    System.clearProperty("ksaudit.bdd.collectEvery");
  }

  @Test
  void findingsDoNotDependOnCollections() {
    List<Fixtures.Pair> pairs = Fixtures.pairs().stream().filter(p -> NAMES.contains(p.name())).toList();
    assertEquals(NAMES.size(), pairs.size(), "fixtures found: " + pairs);
    int findings = 0;
    for (Fixtures.Pair p : pairs) {
      List<Finding> normal = KillswitchAudit.audit(p.rulesets(), p.options(), false);
      System.setProperty("ksaudit.bdd.collectEvery", "0");
      List<Finding> collected = KillswitchAudit.audit(p.rulesets(), p.options(), false);
      System.clearProperty("ksaudit.bdd.collectEvery");
      assertEquals(normal, collected, p.name());
      findings += normal.size();
    }
    assertFalse(findings == 0, "the fixtures have findings to compare");
  }
}
