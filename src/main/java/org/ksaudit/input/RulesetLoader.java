package org.ksaudit.input;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;

/** Reads the rulesets named on a command line and parses each with its family. */
public final class RulesetLoader {
  private RulesetLoader() {}

  /** One input file, its family and what the parser made of it. */
  public record Loaded(InputFile input, Family family, ParseResult result) {}

  public static List<Loaded> load(List<String> files, List<String> forcedV4, List<String> forcedV6, InputStream stdin)
      throws InputFile.InputException {
    List<Loaded> out = new ArrayList<>();
    for (String f : forcedV4) out.add(parse(InputFile.read(f, stdin), Family.IPV4));
    for (String f : forcedV6) out.add(parse(InputFile.read(f, stdin), Family.IPV6));
    for (String f : files) {
      InputFile in = InputFile.read(f, stdin);
      Optional<Family> fam = FamilyDetector.detect(in.name(), in.text());
      if (fam.isEmpty())
        throw new InputFile.InputException("cannot tell whether " + in.name() + " is an IPv4 or an IPv6 ruleset: "
            + "name it *.v4 / *.v6 (or rules4 / rules6), or pass it as --ipv4 FILE or --ipv6 FILE");
      out.add(parse(in, fam.get()));
    }
    long v4 = out.stream().filter(l -> l.family == Family.IPV4).count();
    long v6 = out.stream().filter(l -> l.family == Family.IPV6).count();
    if (v4 > 1 || v6 > 1)
      throw new InputFile.InputException("give at most one IPv4 and one IPv6 ruleset (got " + v4 + " IPv4, " + v6 + " IPv6)");
    return out;
  }

  public static Loaded parse(InputFile in, Family family) {
    return new Loaded(in, family, RulesetParser.parse(in.name(), in.text(), family));
  }
}
