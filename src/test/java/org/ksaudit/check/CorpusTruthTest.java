package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Corpus;

/**
 * The shared corpus of real VPN clients' killswitches against testdata/truth/killswitch-corpus.tsv: each
 * file's warning and error findings, with default options, are exactly the weaknesses the table
 * lists for it (ID, kind, severity, certainty, line and locations). The corpus stays outside
 * the repository; without one named the test is skipped with the reason printed.
 */
class CorpusTruthTest {
  static final Path TABLE = Path.of("testdata/truth/killswitch-corpus.tsv");

  @Test
  void theCorpusKillswitchesHaveExactlyTheirWeaknesses() throws IOException {
    Map<String, List<Expected>> truth = table();
    Optional<Path> dir = Corpus.part("killswitches");
    if (dir.isEmpty()) System.out.println(Corpus.describe("nothing") + "; CorpusTruthTest has nothing to check");
    Assumptions.assumeTrue(dir.isPresent(), "no corpus named: the truth table of the killswitch corpus is not checked");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir.get())) {
      files = s.filter(p -> p.toString().endsWith(".v4") || p.toString().endsWith(".v6")).sorted().toList();
    }
    assertEquals(truth.keySet(), files.stream().map(p -> p.getFileName().toString()).collect(Collectors.toCollection(java.util.TreeSet::new)),
        "every corpus file has rows in " + TABLE + " and every row names a corpus file");
    Map<String, List<Path>> pairs = new TreeMap<>();
    for (Path p : files) pairs.computeIfAbsent(stem(p), k -> new ArrayList<>()).add(p);
    List<String> counts = new ArrayList<>();
    for (List<Path> pair : pairs.values()) {
      List<Ruleset> rulesets = new ArrayList<>();
      for (Path p : pair) {
        Family f = p.toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
        rulesets.add(RulesetParser.parse(p.toString(), Files.readString(p), f).ruleset());
      }
      List<Finding> findings = KillswitchAudit.audit(rulesets, AuditOptions.defaults());
      for (Path p : pair) {
        String name = p.getFileName().toString();
        List<Expected> actual = findings.stream().filter(f -> f.file().equals(p.toString()) && f.severity().atLeast(Severity.WARNING))
            .map(Expected::of).sorted().toList();
        counts.add(name + " " + actual.stream().filter(e -> e.severity() == Severity.ERROR).count());
        assertEquals(lines(truth.get(name).stream().sorted().toList()), lines(actual),
            name + " against " + TABLE + ":\n" + KillswitchFixturesTest.describe(findings));
      }
    }
    System.out.println(Corpus.describe(files.size() + " killswitch files held to " + TABLE + "; errors per file: " + String.join(", ", counts)));
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    return n.substring(0, n.length() - 3);
  }

  private static String lines(List<Expected> l) {
    return l.stream().map(Expected::toString).collect(Collectors.joining("\n"));
  }

  /** The table's rows by file name; a row with ID "none" says the file has no weakness. */
  static Map<String, List<Expected>> table() throws IOException {
    Map<String, List<Expected>> out = new TreeMap<>();
    int n = 0;
    for (String line : Files.readAllLines(TABLE)) {
      n++;
      if (line.startsWith("#") || line.isBlank()) continue;
      String[] c = line.split("\t", -1);
      String where = TABLE + ":" + n;
      assertEquals(8, c.length, where + ": expected 8 tab-separated columns");
      assertTrue(!c[7].isBlank(), where + ": a row needs its reason");
      List<Expected> rows = out.computeIfAbsent(c[0], k -> new ArrayList<>());
      if (c[2].equals("none")) continue;
      Severity sev = Arrays.stream(Severity.values()).filter(s -> s.label().equals(c[3])).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no severity " + c[3]));
      Certainty cert = Arrays.stream(Certainty.values()).filter(x -> x.label().equals(c[4])).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no certainty " + c[4]));
      FindingKind kind = Arrays.stream(FindingKind.values()).filter(k -> k.jsonName().equals(c[5])).findFirst()
          .orElseThrow(() -> new AssertionError(where + ": no finding kind " + c[5]));
      Optional<Integer> at = c[1].equals("-") ? Optional.empty() : Optional.of(Integer.parseInt(c[1]));
      List<Integer> locations = new ArrayList<>(at.stream().toList());
      if (!c[6].equals("-")) for (String m : c[6].split(",")) locations.add(Integer.parseInt(m));
      rows.add(new Expected(c[2], kind, sev, cert, at, locations));
    }
    return out;
  }
}
