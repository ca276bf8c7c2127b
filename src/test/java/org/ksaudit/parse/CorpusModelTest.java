package org.ksaudit.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.Unparsed;
import org.ksaudit.oracle.RulesCorpus;
import org.ksaudit.oracle.RulesFile;
import org.ksaudit.testsupport.Corpus;

/**
 * Every dump yields a model, errors or not: each "-A" line inside a table becomes a rule (a rule
 * with a refused value is kept, marked incomplete, the value kept as Unparsed), so the analysis
 * can go on with that match unknown. The dumps are the repository's fixtures and generated
 * rulesets ({@link RulesCorpus#repository()}; not its syntax edge cases, the sections of
 * testdata/syntax and the golden diagnostics' inputs, whose "-A" lines may name chains that do
 * not exist or be deleted again) and, when one is named ({@link Corpus}), the external corpus'
 * real-world dumps and killswitches.
 */
class CorpusModelTest {
  static Stream<Arguments> files() {
    List<Arguments> out = new ArrayList<>();
    for (RulesFile f : RulesCorpus.repository())
      if (!f.name().contains(".cases#") && !f.name().startsWith("golden/")) out.add(Arguments.of(f.name(), f));
    int repository = out.size();
    for (RulesFile f : RulesCorpus.external()) out.add(Arguments.of(f.name(), f));
    System.out.println("corpus model: " + repository + " rulesets of the repository; " + Corpus.describe((out.size() - repository) + " more"));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void everyAppendInATableBecomesARule(String name, RulesFile f) {
    ParseResult r = RulesetParser.parse(name, f.text(), f.family());
    Set<Integer> appendLines = appendLinesInTables(f.text());
    Set<Integer> ruleLines = new HashSet<>();
    List<Rule> rules = new ArrayList<>();
    for (Table t : r.ruleset().tables())
      for (Chain c : t.chains())
        for (Rule rule : c.rules()) {
          ruleLines.add(rule.pos().line());
          rules.add(rule);
        }
    Set<Integer> missing = new HashSet<>(appendLines);
    missing.removeAll(ruleLines);
    assertTrue(missing.isEmpty(), name + ": no rule in the model for the -A lines " + missing + "\n" + r.diagnostics());
    Set<Integer> reported = new HashSet<>();
    for (Diagnostic d : r.diagnostics()) reported.add(d.pos().line());
    for (Rule rule : rules) {
      boolean unparsed = rule.matches().stream().map(Match::options).flatMap(List::stream).map(Option::value)
          .anyMatch(v -> v instanceof Unparsed)
          || rule.target().map(t -> t.options().stream().anyMatch(o -> o.value() instanceof Unparsed)).orElse(false);
      if (unparsed) assertFalse(rule.complete(), name + ":" + rule.pos().line() + " holds an unparsed value but is complete");
      if (!rule.complete())
        assertTrue(reported.contains(rule.pos().line()), name + ":" + rule.pos().line() + " is incomplete but nothing was reported");
    }
    if (!appendLines.isEmpty()) assertEquals(appendLines.size(), ruleLines.size(), name + ": one rule per -A line");
  }

  /** Line numbers of "-A" lines between a "*table" line and its COMMIT (the restore loop's view). */
  static Set<Integer> appendLinesInTables(String text) {
    Set<Integer> out = new HashSet<>();
    boolean inTable = false;
    String[] lines = text.replace("\r\n", "\n").split("\n", -1);
    for (int k = 0; k < lines.length; k++) {
      String l = lines[k];
      if (l.startsWith("*")) inTable = true;
      else if (l.equals("COMMIT")) inTable = false;
      else if (inTable && (l.startsWith("-A ") || l.startsWith("[") && l.contains("] -A "))) out.add(k + 1);
    }
    return out;
  }
}
