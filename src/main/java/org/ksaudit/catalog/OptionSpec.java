package org.ksaudit.catalog;

import java.util.List;
import java.util.Optional;

/**
 * One option of a module or target. {@code names} holds the canonical long name first, then
 * aliases ({@code --destination-port}). {@code negatable} says whether '!' is accepted before
 * it, {@code repeatable} whether it may be given more than once (libxtables' XTOPT_MULTI);
 * {@code parser} reads a REQUIRED or OPTIONAL value, {@code pairParser} the two words of a PAIR.
 */
public record OptionSpec(
    List<String> names,
    ArgKind arg,
    boolean negatable,
    boolean repeatable,
    Optional<ValueParser> parser,
    Optional<PairParser> pairParser) {
  public OptionSpec {
    names = List.copyOf(names);
    if (names.isEmpty() || names.stream().anyMatch(n -> !n.startsWith("--")))
      throw new IllegalArgumentException("extension options are long options: " + names);
    if ((arg == ArgKind.REQUIRED || arg == ArgKind.OPTIONAL) != parser.isPresent())
      throw new IllegalArgumentException("a value parser goes with REQUIRED and OPTIONAL only: " + names);
    if ((arg == ArgKind.PAIR) != pairParser.isPresent())
      throw new IllegalArgumentException("a pair parser goes with PAIR only: " + names);
  }

  public String name() {
    return names.get(0);
  }
}
