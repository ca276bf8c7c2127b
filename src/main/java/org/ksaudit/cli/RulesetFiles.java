package org.ksaudit.cli;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The ruleset files of a command: positional files by detected family, or forced with --ipv4 / --ipv6. */
public final class RulesetFiles {
  @Parameters(arity = "0..*", paramLabel = "RULES",
      description = "iptables-save and/or ip6tables-save file ('-' for stdin); check: also directories and quoted globs")
  List<String> files = new ArrayList<>();

  @Option(names = "--ipv4", paramLabel = "FILE", description = "Read FILE as an IPv4 (iptables) ruleset")
  List<String> ipv4 = new ArrayList<>();

  @Option(names = "--ipv6", paramLabel = "FILE", description = "Read FILE as an IPv6 (ip6tables) ruleset")
  List<String> ipv6 = new ArrayList<>();

  boolean none() {
    return files.isEmpty() && ipv4.isEmpty() && ipv6.isEmpty();
  }

  /** At most one ruleset per family can be asked about together: more is a usage error before any file is read. */
  void requireAtMostAPair() throws Failure {
    int n = files.size() + ipv4.size() + ipv6.size();
    if (n > 2) throw Failure.usage("give one or two rulesets (an iptables-save and an ip6tables-save dump), not " + n);
  }

  List<RulesetLoader.Loaded> load(InputStream stdin) throws InputFile.InputException {
    return RulesetLoader.load(files, ipv4, ipv6, stdin);
  }
}
