package org.ksaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where check and diff also write their reports ({@code --output}), and what SARIF names files relative to. */
final class ReportFiles {
  @Option(names = "--output", paramLabel = "FORMAT=FILE", converter = Converters.Output.class,
      description = "Also write the report in FORMAT to FILE (repeatable), e.g. --output sarif=ksaudit.sarif --output junit=report.xml")
  List<OutputTarget> outputs = new ArrayList<>();

  @Option(names = "--sarif-base", paramLabel = "DIR",
      description = "SARIF file locations are relative to DIR (the repository root; default: as the files are named)")
  Path sarifBase;

  Optional<Path> sarifBase() {
    return Optional.ofNullable(sarifBase);
  }
}
