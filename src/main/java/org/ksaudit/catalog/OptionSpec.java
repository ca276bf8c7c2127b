package org.ksaudit.catalog;

import java.util.List;

/**
 * One option of a module or target. {@code names} holds the canonical long name first, then
 * aliases ({@code --destination-port}) and the short form if any. {@code negatable} says
 * whether '!' is accepted before it; {@code parser} is used when the option takes a value.
 */
public record OptionSpec(List<String> names, ArgKind arg, boolean negatable, ValueParser parser) {
  public OptionSpec {
    names = List.copyOf(names);
  }

  public String name() {
    return names.get(0);
  }
}
