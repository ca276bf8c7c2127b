package org.ksaudit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * testdata/README.md says for every fixture where it comes from and under what terms: each file
 * below testdata/DIR/ must be named in backquotes in that README's section "## DIR/". A pair may
 * be named `name.v4`, `.v6` or `name.v4/.v6`.
 */
class TestdataReadmeTest {
  private static final Path TESTDATA = Path.of("testdata");
  private static final Pattern SECTION = Pattern.compile("^## ([^ /]+)/", Pattern.MULTILINE);
  private static final Pattern QUOTED = Pattern.compile("`([^`\\s]+)`");

  @Test
  void everyFileUnderTestdataHasARow() throws IOException {
    Map<String, Set<String>> named = namedBySection(Files.readString(TESTDATA.resolve("README.md")));
    List<String> missing = new ArrayList<>();
    int files = 0;
    try (Stream<Path> s = Files.walk(TESTDATA)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        Path rel = TESTDATA.relativize(p);
        if (rel.getNameCount() == 1) {
          if (!rel.toString().equals("README.md")) missing.add(rel + " (directly in testdata/, outside every section)");
          continue;
        }
        files++;
        String section = rel.getName(0).toString();
        String inSection = rel.subpath(1, rel.getNameCount()).toString();
        if (!named.getOrDefault(section, Set.of()).contains(inSection)) missing.add(rel.toString());
      }
    }
    System.out.printf("testdata README: %d files, %d without a row%n", files, missing.size());
    assertTrue(files > 0, "no files under " + TESTDATA.toAbsolutePath());
    assertEquals(List.of(), missing, "files under testdata/ that testdata/README.md does not name in their directory's section");
  }

  @Test
  void pairShorthandsExpand() {
    Map<String, Set<String>> named = namedBySection("## k/ — x\n| `a.v4`, `.v6` | `b.v4/.v6` | `c.cases` |\n## l/\n`d.v4`\n");
    assertEquals(Set.of("a.v4", "a.v6", "b.v4", "b.v6", "c.cases"), named.get("k"));
    assertEquals(Set.of("d.v4"), named.get("l"));
  }

  /** Section directory -> the file names quoted in it, shorthands expanded. */
  static Map<String, Set<String>> namedBySection(String readme) {
    Map<String, Set<String>> out = new HashMap<>();
    Matcher m = SECTION.matcher(readme);
    List<Integer> starts = new ArrayList<>();
    List<String> dirs = new ArrayList<>();
    while (m.find()) {
      starts.add(m.start());
      dirs.add(m.group(1));
    }
    for (int k = 0; k < starts.size(); k++) {
      String body = readme.substring(starts.get(k), k + 1 < starts.size() ? starts.get(k + 1) : readme.length());
      Set<String> names = out.computeIfAbsent(dirs.get(k), d -> new HashSet<>());
      String previous = null;
      Matcher q = QUOTED.matcher(body);
      while (q.find()) {
        String token = q.group(1);
        int slash = token.indexOf("/.");
        if (slash > 0) {
          String first = token.substring(0, slash);
          names.add(first);
          names.add(stem(first) + token.substring(slash + 1));
          previous = first;
        } else if (token.startsWith(".") && previous != null) {
          names.add(stem(previous) + token);
        } else {
          names.add(token);
          previous = token;
        }
      }
    }
    return out;
  }

  /** "name.v4" -> "name": a pair's files differ only in the last extension. */
  private static String stem(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }
}
