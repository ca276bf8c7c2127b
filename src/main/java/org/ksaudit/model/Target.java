package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/**
 * What a rule does: a standard verdict, an extension target or a user chain. {@code goto}
 * is true for {@code -g}, which does not return to the calling chain.
 */
public record Target(String name, boolean isGoto, List<Option> options, SourcePos pos) {
  public Target {
    options = List.copyOf(options);
  }

  public Optional<Option> option(String optionName) {
    return options.stream().filter(o -> o.name().equals(optionName)).findFirst();
  }
}
