package org.ksaudit.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/**
 * The diff fixtures of testdata/diff: each file with an {@code # old: FILE} line is a NEW
 * version of that OLD one, and states every difference it makes, one per
 * {@code # expect-diff: let-out|stopped SCENARIO LINE} line (LINE is the rule of the version
 * that lets the packets out), or {@code # expect-diff: none}.
 */
final class DiffFixtures {
  static final Path DIR = Path.of("testdata/diff");

  private DiffFixtures() {}

  record Case(String name, Path oldFile, Path newFile, Set<String> expected) {
    Ruleset before() {
      return parse(oldFile);
    }

    Ruleset after() {
      return parse(newFile);
    }

    Family family() {
      return newFile.toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
    }
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.sorted().toList()) {
        List<String> lines = Files.readAllLines(f);
        String old = lines.stream().filter(l -> l.startsWith("# old: ")).map(l -> l.substring(7).strip()).findFirst().orElse("");
        if (old.isEmpty()) continue;
        Set<String> expected = new LinkedHashSet<>();
        for (String l : lines) {
          if (!l.startsWith("# expect-diff: ")) continue;
          String e = l.substring("# expect-diff: ".length()).strip();
          if (!e.equals("none")) expected.add(e);
        }
        out.add(new Case(f.getFileName().toString(), DIR.resolve(old), f, expected));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  static Ruleset parse(Path file) {
    try {
      Family f = file.toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
      ParseResult r = RulesetParser.parse(file.getFileName().toString(), Files.readString(file), f);
      if (r.hasErrors()) throw new IllegalStateException(file + " has errors: " + r.diagnostics());
      return r.ruleset();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A difference as the fixtures state it: {@code let-out tunnel-gone 15}. */
  static String stated(Difference d) {
    return (d.letOut() ? "let-out " : "stopped ") + d.scenario().jsonName() + " "
        + d.location().map(l -> Integer.toString(l.pos().line())).orElse("-");
  }
}
