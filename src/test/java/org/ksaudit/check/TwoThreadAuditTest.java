package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The audit runs the forward and reachability analyses on a second thread when it can; the
 * findings must be exactly those of the audit on one thread, for every killswitch fixture
 * (findings are records: messages, witnesses and traces are compared too).
 */
class TwoThreadAuditTest {
  @Test
  void findingsDoNotDependOnTheThreads() {
    List<Fixtures.Pair> pairs = Fixtures.pairs();
    assertFalse(pairs.isEmpty());
    int findings = 0;
    for (Fixtures.Pair p : pairs) {
      List<Finding> one = KillswitchAudit.audit(p.rulesets(), p.options(), false);
      List<Finding> two = KillswitchAudit.audit(p.rulesets(), p.options(), true);
      assertEquals(one, two, p.toString());
      findings += one.size();
    }
    assertFalse(findings == 0, "the fixtures have findings to compare");
  }
}
