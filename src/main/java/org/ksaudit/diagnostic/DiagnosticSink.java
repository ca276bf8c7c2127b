package org.ksaudit.diagnostic;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics in the order found; reports them sorted by position. */
public final class DiagnosticSink {
  private final List<Diagnostic> items = new ArrayList<>();

  public void add(Diagnostic d) {
    items.add(d);
  }

  public boolean hasErrors() {
    return items.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  public List<Diagnostic> sorted() {
    List<Diagnostic> out = new ArrayList<>(items);
    out.sort(Comparator.comparing(Diagnostic::pos));
    return List.copyOf(out);
  }
}
