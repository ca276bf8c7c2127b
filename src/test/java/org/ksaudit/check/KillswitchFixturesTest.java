package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every killswitch fixture yields exactly the findings its inline expectations name: each
 * finding's ID, kind, severity, certainty, line and locations, and as many findings as
 * expected, file by file (see {@link ExpectationLines} for the notation).
 */
class KillswitchFixturesTest {
  /** Where findings about a ruleset that was not given go in a pair that has both files. */
  private static final String NOT_GIVEN = "(a ruleset not given)";

  @TestFactory
  Stream<DynamicTest> eachFixtureHasExactlyItsExpectedFindings() {
    List<Fixtures.Pair> pairs = Fixtures.pairs();
    assertTrue(pairs.size() >= 15, "fixtures: " + pairs.size());
    return pairs.stream().map(p -> DynamicTest.dynamicTest(p.name(), () -> check(p)));
  }

  private static void check(Fixtures.Pair p) {
    List<Finding> findings = KillswitchAudit.audit(p.rulesets(), p.options());
    Map<String, List<Expected>> actual = new LinkedHashMap<>();
    for (String file : p.expected().keySet()) actual.put(file, new ArrayList<>());
    for (Finding f : findings) {
      String file = f.file().isEmpty() && p.expected().size() == 1 ? p.expected().keySet().iterator().next()
          : f.file().isEmpty() ? NOT_GIVEN : f.file();
      actual.computeIfAbsent(file, k -> new ArrayList<>()).add(Expected.of(f));
    }
    for (Map.Entry<String, List<Expected>> e : actual.entrySet()) {
      List<Expected> expected = p.expected().getOrDefault(e.getKey(), List.of()).stream().sorted().toList();
      assertEquals(lines(expected), lines(e.getValue().stream().sorted().toList()), e.getKey() + ":\n" + describe(findings));
    }
  }

  private static String lines(List<Expected> l) {
    return l.stream().map(Expected::toString).collect(Collectors.joining("\n"));
  }

  static String describe(List<Finding> findings) {
    List<String> lines = new ArrayList<>();
    for (Finding f : findings) {
      lines.add(Expected.of(f) + " " + f.category().jsonName() + " " + f.file() + ": " + f.message() + " "
          + f.witness().map(w -> w.describe()).orElse(""));
    }
    return String.join("\n", lines);
  }
}
