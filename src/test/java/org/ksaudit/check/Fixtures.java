package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/**
 * The killswitch fixtures of testdata/killswitches: pairs NAME.v4 / NAME.v6, each file with
 * the findings it expects inline ({@link ExpectationLines}) and optional
 * "# options: --endpoint ... --allow-lan ... --tunnel ..." lines.
 */
final class Fixtures {
  private Fixtures() {}

  static final Path DIR = Path.of("testdata/killswitches");

  /** One fixture pair as rulesets, with its options and the findings each file expects. */
  record Pair(String name, List<Ruleset> rulesets, AuditOptions options, Map<String, List<Expected>> expected) {}

  static List<Pair> pairs() {
    try (Stream<Path> files = Files.list(DIR)) {
      Map<String, List<Path>> byName = new LinkedHashMap<>();
      for (Path p : files.sorted().toList()) {
        String n = p.getFileName().toString();
        if (!n.endsWith(".v4") && !n.endsWith(".v6")) continue;
        byName.computeIfAbsent(n.substring(0, n.length() - 3), k -> new ArrayList<>()).add(p);
      }
      List<Pair> out = new ArrayList<>();
      for (Map.Entry<String, List<Path>> e : byName.entrySet()) out.add(pair(e.getKey(), e.getValue()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Pair pair(String name, List<Path> paths) throws IOException {
    List<Ruleset> rulesets = new ArrayList<>();
    Map<String, List<Expected>> expected = new LinkedHashMap<>();
    AuditOptions options = AuditOptions.defaults();
    for (Path p : paths) {
      String text = Files.readString(p);
      Family f = p.toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
      ParseResult r = RulesetParser.parse(p.toString(), text, f);
      if (r.hasErrors()) {
        fail(p + " has syntax errors:\n" + r.diagnostics().stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
      }
      rulesets.add(r.ruleset());
      for (String line : text.split("\n")) {
        if (line.startsWith("# options:")) options = options(options, line.substring(10).trim().split("\\s+"));
      }
      expected.put(p.toString(), ExpectationLines.parse(p.toString(), text));
    }
    return new Pair(name, rulesets, options, expected);
  }

  private static AuditOptions options(AuditOptions o, String[] words) {
    for (int i = 0; i + 1 < words.length; i += 2) {
      String v = words[i + 1];
      switch (words[i]) {
        case "--endpoint" -> o = o.withEndpoints(append(o.endpoints(), Endpoint.parse(v)));
        case "--allow-lan" -> o = o.withAllowLan(append(o.allowLan(), cidr(v)));
        case "--tunnel" -> o = o.withTunnels(append(o.tunnels(), v));
        default -> fail("unknown fixture option " + words[i]);
      }
    }
    return o;
  }

  static Cidr cidr(String v) {
    Family f = v.contains(":") ? Family.IPV6 : Family.IPV4;
    try {
      return org.ksaudit.catalog.ValueParsers.cidr(v, f);
    } catch (org.ksaudit.catalog.BadValue e) {
      throw new IllegalArgumentException(v, e);
    }
  }

  private static <T> List<T> append(List<T> l, T t) {
    List<T> out = new ArrayList<>(l);
    out.add(t);
    return out;
  }
}
