package org.ksaudit.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;

/**
 * Where ksaudit places what a long line loads. The rule behind every expectation: iptables-restore
 * reads 10,239 bytes at a time and loads each read as a line of its own (measured with both
 * backends: testdata/syntax/long-lines*.cases, LoadedTablesKernelTest); a position is the file's
 * line and the column, counted in characters, at which that part's text stands in the file line.
 */
class LongLinesTest {
  private static final int READ = 10_239;

  /** {@code head} padded with blanks to {@code bytes} bytes of UTF-8. */
  private static String padded(String head, int bytes) {
    return head + " ".repeat(bytes - head.getBytes(StandardCharsets.UTF_8).length);
  }

  private static List<Rule> output(ParseResult r) {
    Chain c = r.ruleset().table("filter").orElseThrow().chain("OUTPUT").orElseThrow();
    return c.rules();
  }

  private static List<Diagnostic> of(ParseResult r, Severity s) {
    return r.diagnostics().stream().filter(d -> d.severity() == s).toList();
  }

  @Test
  void theSecondPartIsARuleAtColumn10240OfTheSameLine() {
    String text = "*filter\n:OUTPUT DROP [0:0]\n" + padded("-A OUTPUT -d 192.0.2.1/32 -j DROP", READ)
        + "-A OUTPUT -j ACCEPT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("long.v4", text, Family.IPV4);
    assertEquals(List.of(), of(r, Severity.ERROR));
    List<Rule> rules = output(r);
    assertEquals(2, rules.size());
    assertEquals(new SourcePos("long.v4", 3, 1), rules.get(0).pos());
    assertEquals(new SourcePos("long.v4", 3, 10_240), rules.get(1).pos());
    assertEquals("ACCEPT", rules.get(1).target().orElseThrow().name());
    assertEquals(new SourcePos("long.v4", 3, 10_240 + "-A OUTPUT -j ".length()), rules.get(1).target().orElseThrow().pos());
    List<Diagnostic> warnings = of(r, Severity.WARNING);
    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals(new SourcePos("long.v4", 3, 10_240), warnings.get(0).pos());
    assertTrue(warnings.get(0).message().contains("read as 2 lines"), warnings.get(0).message());
  }

  @Test
  void aLongCommentHidesTheRuleThatFollowsTheCut() {
    String text = "*filter\n:OUTPUT DROP [0:0]\n" + "#".repeat(READ) + "-A OUTPUT -j ACCEPT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("c.v4", text, Family.IPV4);
    assertEquals(List.of(), of(r, Severity.ERROR));
    assertEquals(1, output(r).size());
    assertEquals(new SourcePos("c.v4", 3, 10_240), output(r).get(0).pos());
  }

  @Test
  void anErrorInALaterPartPointsIntoTheFileLine() {
    // the cut leaves "-j" at the end of the first part and "ACCEPT" alone in the second
    String text = "*filter\n" + padded("-A OUTPUT", READ - 3) + "-j ACCEPT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("cut.v4", text, Family.IPV4);
    List<Diagnostic> errors = of(r, Severity.ERROR);
    assertEquals(new SourcePos("cut.v4", 2, READ - 2), errors.get(0).pos());
    assertTrue(errors.get(0).message().contains("\"-j\" requires an argument"), errors.get(0).message());
    String shown = DiagnosticPrinter.render(errors.get(0));
    assertTrue(shown.startsWith("cut.v4:2:10237: error: "), shown);
    // the long line is shown as a window around the column, not in full
    assertTrue(shown.length() < 1_000, shown.length() + " characters");
  }

  @Test
  void threePartsStartAtColumns10240And20479() {
    String text = "*filter\n" + padded(padded("-A OUTPUT -j ACCEPT", READ) + "-A OUTPUT -j DROP", 2 * READ)
        + "-A OUTPUT -j REJECT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("three.v4", text, Family.IPV4);
    assertEquals(List.of(), of(r, Severity.ERROR));
    assertEquals(List.of(1, 10_240, 20_479), output(r).stream().map(x -> x.pos().column()).toList());
    assertEquals(List.of(2, 2, 2), output(r).stream().map(x -> x.pos().line()).toList());
  }

  @Test
  void aNulInTheFirstPartIsWarnedAtItsColumnAndTheNextPartIsStillRead() {
    String text = "*filter\n" + padded("-A OUTPUT -j DROP\0", READ) + "-A OUTPUT -j ACCEPT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("nul.v4", text, Family.IPV4);
    assertEquals(List.of(), of(r, Severity.ERROR));
    assertEquals(List.of("DROP", "ACCEPT"), output(r).stream().map(x -> x.target().orElseThrow().name()).toList());
    assertTrue(of(r, Severity.WARNING).stream()
        .anyMatch(d -> d.pos().equals(new SourcePos("nul.v4", 2, 18)) && d.message().startsWith("NUL byte")));
  }

  /** Bytes, not characters, decide the cut: "é" is two bytes in UTF-8 and one in Latin-1. */
  @Test
  void theCutIsCountedInTheFilesBytes() {
    String head = "-A OUTPUT -m comment --comment \"é\"";
    String utf8 = "*filter\n" + padded(head, READ - 7) + "-j DROP-A OUTPUT -j ACCEPT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("u.v4", utf8, Family.IPV4, StandardCharsets.UTF_8);
    assertEquals(List.of(), of(r, Severity.ERROR));
    assertEquals(new SourcePos("u.v4", 2, READ), output(r).get(1).pos());

    String latin1 = "*filter\n" + head + " ".repeat(READ - 7 - head.length()) + "-j DROP-A OUTPUT -j ACCEPT\nCOMMIT\n";
    ParseResult l = RulesetParser.parse("l.v4", latin1, Family.IPV4, StandardCharsets.ISO_8859_1);
    assertEquals(List.of(), of(l, Severity.ERROR));
    assertEquals(new SourcePos("l.v4", 2, READ + 1), output(l).get(1).pos());
    // read as UTF-8, the same characters are one byte longer: the cut falls inside "DROP"
    assertTrue(RulesetParser.parse("l.v4", latin1, Family.IPV4, StandardCharsets.UTF_8).hasErrors());
  }

  @Test
  void aLineOfExactly10239BytesLoadsAsOneRule() {
    String text = "*filter\n" + padded("-A OUTPUT -j ACCEPT", READ) + "\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("x.v4", text, Family.IPV4);
    assertEquals(List.of(), of(r, Severity.ERROR));
    assertEquals(1, output(r).size());
  }

  @Test
  void theLineAfterALongLineKeepsItsNumber() {
    String text = "*filter\n" + padded("-A OUTPUT -j ACCEPT", 3 * READ) + "\n-A OUTPUT -j DROP\nCOMMIT\nCOMMIT\n";
    ParseResult r = RulesetParser.parse("after.v4", text, Family.IPV4);
    // the long line's second and third parts are blanks; the stray COMMIT is the file's line 5
    List<SourcePos> errors = of(r, Severity.ERROR).stream().map(Diagnostic::pos).toList();
    assertEquals(List.of(new SourcePos("after.v4", 2, 10_240), new SourcePos("after.v4", 2, 20_479),
        new SourcePos("after.v4", 5, 1)), errors);
  }
}
