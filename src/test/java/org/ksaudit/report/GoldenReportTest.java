package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.ksaudit.cli.Main;
import org.ksaudit.testsupport.JunitXml;
import org.ksaudit.testsupport.ReportSchema;
import org.ksaudit.testsupport.SarifSchema;

/**
 * {@code ksaudit check} output in every format, compared with golden files in
 * src/test/resources/golden/report (NAME.txt, NAME.json, NAME.sarif, NAME.junit.xml, NAME.html; NAME.args holds
 * the arguments). Before the comparison each is checked for what it claims to be: JSON against
 * schema/ksaudit.schema.json, SARIF against the official SARIF 2.1.0 schema, JUnit XML parsed back, HTML
 * held to what a self-contained page is (HtmlPageRules).
 * A missing golden file fails. Run with -Dgolden.update=true to rewrite them after an intended
 * change, then review the diff.
 */
class GoldenReportTest {
  private static final Path DIR = Path.of("src/test/resources/golden/report");
  private static final Map<Format, String> GOLDEN = Map.of(Format.TEXT, ".txt", Format.JSON, ".json", Format.SARIF, ".sarif",
      Format.JUNIT, ".junit.xml", Format.HTML, ".html");

  @TestFactory
  Stream<DynamicTest> outputMatchesGoldenFiles() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path args : s.filter(p -> p.toString().endsWith(".args")).sorted().toList()) {
        String name = args.getFileName().toString().replace(".args", "");
        List<String> words = List.of(Files.readString(args).trim().split("\\s+"));
        tests.add(DynamicTest.dynamicTest(name, () -> compareAll(name, words)));
      }
    }
    return tests.stream();
  }

  /** One run writes every format: text on standard output, the others through --output. */
  private static void compareAll(String name, List<String> args) throws IOException {
    Path tmp = Files.createTempDirectory("ksaudit-golden");
    try {
      List<String> all = new ArrayList<>(List.of("check"));
      all.addAll(args);
      for (Format f : Format.values()) {
        if (f != Format.TEXT) all.addAll(List.of("--output", f.label() + "=" + tmp.resolve(name + GOLDEN.get(f))));
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
          new PrintStream(new ByteArrayOutputStream(), true));
      compare(name + ".txt", code, out.toString(StandardCharsets.UTF_8));
      for (Format f : Format.values()) {
        if (f != Format.TEXT) compare(name + GOLDEN.get(f), code, Files.readString(tmp.resolve(name + GOLDEN.get(f))));
      }
    } finally {
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path p : files.toList()) Files.delete(p);
      }
      Files.delete(tmp);
    }
  }

  private static void compare(String golden, int code, String report) throws IOException {
    if (golden.endsWith(".json")) ReportSchema.parse(report);
    if (golden.endsWith(".sarif")) SarifSchema.parse(report);
    if (golden.endsWith(".junit.xml")) JunitXml.parse(report);
    if (golden.endsWith(".html")) HtmlPageRules.check(report);
    String actual = "exit " + code + "\n" + report;
    Path file = DIR.resolve(golden);
    if (Boolean.getBoolean("golden.update")) Files.writeString(file, actual);
    assertTrue(Files.exists(file), "golden file " + file + " is missing: review the output and write it with -Dgolden.update=true");
    assertEquals(Files.readString(file), actual, "golden file " + file);
  }
}
