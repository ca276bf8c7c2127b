package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.ksaudit.diagnostic.DiagnosticPrinter;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/** Parses test rulesets and builds concrete packets for analysis tests. */
final class TestRules {
  private TestRules() {}

  static final BigInteger SRC4 = IpText.parseV4("198.18.0.1").orElseThrow();
  static final BigInteger SRC6 = IpText.parseV6("2001:2::1").orElseThrow();
  static final List<String> LAB_INTERFACES = List.of("eth0", "wlan0", "tun0", "wg0");
  static final List<InterfaceName> TUNNELS = List.of(new InterfaceName("tun+"), new InterfaceName("wg+"),
      new InterfaceName("tap+"), new InterfaceName("ppp+"));

  /** Parses rules that must be free of errors (the test fails with the diagnostics otherwise). */
  static Ruleset parse(String name, String text, Family family) {
    ParseResult r = RulesetParser.parse(name, text, family);
    if (r.hasErrors()) {
      fail("test ruleset " + name + " has errors:\n"
          + r.diagnostics().stream().map(DiagnosticPrinter::render).collect(Collectors.joining()));
    }
    return r.ruleset();
  }

  static Ruleset file(String path) throws IOException {
    Path p = Path.of(path);
    Family f = path.endsWith(".v6") || path.contains("ip6") ? Family.IPV6 : Family.IPV4;
    return parse(path, Files.readString(p), f);
  }

  static Packet out(Family f, String proto, String dst, int dport, String oif) {
    BigInteger src = f == Family.IPV4 ? SRC4 : SRC6;
    return Packet.outgoing(f, proto, src, IpText.parse(f, dst).orElseThrow(), 40000, dport, oif);
  }

  static RulesetAnalysis analysis(Ruleset rs) {
    return new RulesetAnalysis(rs, TUNNELS, LAB_INTERFACES);
  }
}
