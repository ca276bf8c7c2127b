package org.ksaudit.check;

import java.util.List;
import org.ksaudit.diagnostic.Severity;

/**
 * The metadata of one check: its stable ID, category, the severity of its typical finding,
 * a one-line summary and its documentation for {@code ksaudit explain}.
 */
public record CheckInfo(
    String id,
    Category category,
    Severity severity,
    String summary,
    String meaning,
    String whyItLeaks,
    String insecureExample,
    String secureExample,
    List<String> references) {
  public CheckInfo {
    if (!id.matches("KS\\d{3}")) throw new IllegalArgumentException("check id " + id);
    references = List.copyOf(references);
  }
}
