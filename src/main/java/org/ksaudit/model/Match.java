package org.ksaudit.model;

import java.util.List;
import java.util.Optional;

/** One match module on a rule ({@code -m NAME --opt val ...}) with typed option values. */
public record Match(String module, List<Option> options, SourcePos pos) {
  /** Name used for the built-in options -s, -d, -p, -i, -o, -f. */
  public static final String CORE = "";

  public Match {
    options = List.copyOf(options);
  }

  public Optional<Option> option(String name) {
    return options.stream().filter(o -> o.name().equals(name)).findFirst();
  }
}
