package org.ksaudit.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.model.Family;

/**
 * Golden files for the diagnostics: each NAME.v4.rules / NAME.v6.rules under
 * src/test/resources/golden/diagnostics is parsed and its printed diagnostics must equal
 * NAME.v4.rules.expected byte for byte; the seed article's verbatim ruleset is read from
 * testdata/ the same way. Run with -Dgolden.update=true to rewrite the expected files after a
 * deliberate change, then review the diff.
 */
class GoldenDiagnosticsTest {
  static final Path DIR = Path.of("src/test/resources/golden/diagnostics");
  static final Path SEED = Path.of("testdata/seed/article-verbatim.v4");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".rules")).sorted().toList())
        out.add(Arguments.of(p.getFileName().toString(), p, DIR.resolve(p.getFileName() + ".expected")));
    }
    out.add(Arguments.of(SEED.toString(), SEED, DIR.resolve(SEED.getFileName() + ".expected")));
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void diagnosticsMatchTheGoldenFile(String name, Path input, Path expected) throws IOException {
    String text = Files.readString(input, StandardCharsets.UTF_8);
    Family family = name.contains(".v6") ? Family.IPV6 : Family.IPV4;
    StringBuilder actual = new StringBuilder();
    for (Diagnostic d : RulesetParser.parse(name, text, family).diagnostics()) actual.append(DiagnosticPrinter.render(d));
    if (Boolean.getBoolean("golden.update")) Files.writeString(expected, actual.toString(), StandardCharsets.UTF_8);
    assertEquals(Files.readString(expected, StandardCharsets.UTF_8), actual.toString(), "diagnostics of " + name);
  }
}
