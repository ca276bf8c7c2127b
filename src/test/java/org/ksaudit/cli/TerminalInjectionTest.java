package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.ksaudit.testsupport.ReportSchema;
import org.ksaudit.testsupport.ControlChars;

/**
 * Every control character (C0, DEL, C1, bidi and zero-width) fed through every way text reaches
 * the terminal: comments, chain names, interface names and file names in check's findings and
 * diagnostics, trace's packet and trace lines, probe's diagnostics, probe-file lines, explain's
 * argument, picocli's usage errors, messages on standard error. None comes out raw; each comes
 * out in its escaped form (the rule in {@link ControlChars}).
 */
class TerminalInjectionTest {
  @TempDir Path dir;

  /**
   * Every listed character but NUL (it ends a line for iptables-restore: the parser reports it),
   * four at a time: a name with four of them still fits an interface name's 15 bytes.
   */
  static Stream<String> groups() {
    int[] cps = Arrays.stream(ControlChars.all()).filter(c -> c != 0).toArray();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < cps.length; i += 4) out.add(new String(cps, i, Math.min(4, cps.length - i)));
    return out.stream();
  }

  /** Every listed character but NUL, which no program argument can hold. */
  static String allButNul() {
    StringBuilder b = new StringBuilder();
    Arrays.stream(ControlChars.all()).filter(c -> c != 0).forEach(b::appendCodePoint);
    return b.toString();
  }

  private Path rules(String c) throws IOException {
    Path f = dir.resolve("r" + c + ".v4");
    Files.writeString(f, "# " + "a comment so that the controls stay a small share of the file ".repeat(4) + "\n"
        + "*filter\n:OUTPUT DROP [0:0]\n:C" + c + " - [0:0]\n-A OUTPUT -o e" + c + " -j C" + c + "\n"
        + "-A C" + c + " -m comment --comment \"x" + c + "y\" -j ACCEPT\nCOMMIT\n", StandardCharsets.UTF_8);
    return f;
  }

  private static void assertShownEscaped(CliRun r, String chars, String what) {
    ControlChars.assertNoneRaw(r.both(), what);
    chars.codePoints().forEach(cp -> assertTrue(r.both().contains(ControlChars.escaped(cp)),
        what + ": U+" + Integer.toHexString(cp) + " not shown escaped: " + r.both()));
  }

  private static String escaped(String chars) {
    StringBuilder b = new StringBuilder();
    chars.codePoints().forEach(cp -> b.append(ControlChars.escaped(cp)));
    return b.toString();
  }

  @ParameterizedTest
  @MethodSource("groups")
  void checkShowsNamesCommentsAndFileNamesEscaped(String c) throws IOException {
    CliRun r = CliRun.of("check", rules(c).toString());
    assertShownEscaped(r, c, "check");
    String e = escaped(c);
    // the file name in every position, the chain in trace lines (or in the error when a blank in it makes it invalid),
    // the comment in the line under a finding or diagnostic
    assertTrue(r.out().contains("r" + e + ".v4:6:"), r.out());
    assertTrue(r.out().contains("filter/C" + e + " ACCEPT") || r.out().contains("invalid chain name \"C" + e + "\""), r.out());
    assertTrue(r.out().contains("--comment \"x" + e + "y\""), r.out());
  }

  @ParameterizedTest
  @MethodSource("groups")
  void traceShowsThePacketAndTheRulesEscaped(String c) throws IOException {
    CliRun r = CliRun.of("trace", rules(c).toString(), "--proto", "udp", "--dst", "198.51.100.1", "--dport", "53", "--out", "e" + c);
    assertShownEscaped(r, c, "trace");
    Path probes = dir.resolve("probes");
    Files.writeString(probes, "# " + "a comment so that the controls stay a small share of the file ".repeat(2) + "\n"
        + "udp 198.51.100.1 53 e" + c + "\nudp 198.51.100.1 x" + c + " eth0\n", StandardCharsets.UTF_8);
    assertShownEscaped(CliRun.of("trace", rules(c).toString(), "--probes", probes.toString()), c, "trace --probes");
  }

  @ParameterizedTest
  @MethodSource("groups")
  void probeDiagnosticsAreEscaped(String c) throws IOException {
    Path f = dir.resolve("bad.v4");
    Files.writeString(f, "*filter\n-A OUTPUT -m comment --comment \"x" + c + "y\" -j NOSUCH" + c + "\nCOMMIT\n",
        StandardCharsets.UTF_8);
    CliRun r = CliRun.of("probe", "--lab", f.toString());
    assertEquals(2, r.code(), r.both());
    assertShownEscaped(r, c, "probe");
  }

  @Test
  void argumentsEchoedInErrorsAreEscaped() {
    String c = allButNul();
    assertShownEscaped(CliRun.of("explain", "KS" + c), c, "explain");
    assertShownEscaped(CliRun.of("check", "--format", "x" + c, "a.v4"), c, "picocli usage error");
    assertShownEscaped(CliRun.of("check", "--nosuch" + c), c, "picocli unknown option");
    assertShownEscaped(CliRun.of("check", dir.resolve("missing" + c + ".v4").toString()), c, "unreadable file");
    assertShownEscaped(CliRun.of("trace", "testdata/seed/article.v4", "--proto", "udp", "--dst", "198.51.100.1" + c, "--dport",
        "53", "--out", "eth0"), c, "trace --dst");
  }

  @Test
  void aNulInAProbeLineIsShownEscaped() throws IOException {
    Path probes = dir.resolve("probes");
    Files.writeString(probes, "udp 198.51.100.1 5\u00003 eth0\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("trace", "testdata/seed/article.v4", "--probes", probes.toString());
    assertEquals(2, r.code(), r.both());
    assertShownEscaped(r, "\u0000", "trace --probes");
  }

  @Test
  void aFakeCleanReportCannotBePrinted() throws IOException {
    Path f = dir.resolve("fake.v4");
    Files.writeString(f, "*filter\n:OUTPUT DROP [0:0]\n"
        + "-A OUTPUT -m comment --comment \"\u001b[2J\u001b[H\rno findings: no packet leaves outside the tunnel\u001b[8m\" -j ACCEPT\n"
        + "COMMIT\n");
    CliRun r = CliRun.of("check", f.toString());
    assertEquals(1, r.code());
    assertFalse(r.out().contains("\u001b") || r.out().contains("\r"), r.out());
    assertTrue(r.out().contains("\\x1b[2J\\x1b[H\\rno findings"), r.out());
  }

  @Test
  void jsonEscapesEveryControlAndStaysValid() throws IOException {
    StringBuilder all = new StringBuilder();
    Arrays.stream(ControlChars.all()).filter(c -> c != 0 && (c < 0x80 || c > 0x9f)).forEach(all::appendCodePoint);
    // the C1 characters once, as two-byte UTF-8: still a small share of the file
    IntStream.rangeClosed(0x80, 0x9f).forEach(all::appendCodePoint);
    Path f = dir.resolve("all.v4");
    Files.writeString(f, "# " + "padding so that the controls are a small share of the file ".repeat(20) + "\n*filter\n"
        + ":OUTPUT DROP [0:0]\n-A OUTPUT -m comment --comment \"" + all + "\" -j ACCEPT\nCOMMIT\n", StandardCharsets.UTF_8);
    CliRun r = CliRun.of("check", f.toString(), "--format", "json");
    ControlChars.assertNoneRaw(r.both(), "check --format json");
    ReportSchema.parse(r.out());
    CliRun e = CliRun.of("explain", "KS\u001b\u202e", "--format", "json");
    ControlChars.assertNoneRaw(e.both(), "explain --format json");
    ReportSchema.parse(e.out());
  }
}
