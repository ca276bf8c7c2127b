package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;

/** Every killswitch fixture yields exactly the categories its "# expect:" lines name. */
class KillswitchFixturesTest {
  @TestFactory
  Stream<DynamicTest> eachFixtureHasItsExpectedFindings() {
    List<Fixtures.Pair> pairs = Fixtures.pairs();
    assertTrue(pairs.size() >= 15, "fixtures: " + pairs.size());
    return pairs.stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> check(p)));
  }

  private static void check(Fixtures.Pair p) {
    List<Finding> findings = KillswitchAudit.audit(p.rulesets(), p.options());
    boolean hasV6 = p.rulesets().stream().anyMatch(r -> r.family() == Family.IPV6);
    for (Map.Entry<String, Set<String>> e : p.expected().entrySet()) {
      String file = e.getKey();
      Set<String> actual = new TreeSet<>();
      for (Finding f : findings) {
        if (!f.severity().atLeast(Severity.WARNING)) continue;
        boolean mine = f.file().equals(file) || (f.file().isEmpty() && !hasV6 && file.endsWith(".v4"));
        if (mine) actual.add(f.category().jsonName());
      }
      assertEquals(e.getValue(), actual, file + ":\n" + describe(findings));
    }
  }

  static String describe(List<Finding> findings) {
    List<String> lines = new ArrayList<>();
    for (Finding f : findings) {
      lines.add(f.severity().label() + " " + f.category().jsonName() + " " + f.file() + ":" + f.line().map(String::valueOf).orElse("-")
          + " " + f.message() + " " + f.witness().map(w -> w.describe()).orElse(""));
    }
    return lines.stream().collect(Collectors.joining("\n"));
  }
}
