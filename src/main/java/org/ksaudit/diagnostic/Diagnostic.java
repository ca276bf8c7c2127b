package org.ksaudit.diagnostic;

import java.util.Optional;
import org.ksaudit.model.SourcePos;

/**
 * A problem in an input file, tied to the token that causes it. {@code length} is the
 * number of characters to underline; {@code sourceLine} is the line as written, so the
 * diagnostic prints without re-reading the file.
 */
public record Diagnostic(
    Severity severity, SourcePos pos, int length, String message, Optional<String> hint, String sourceLine) {
  public Diagnostic {
    if (message == null || message.isBlank()) throw new IllegalArgumentException("message");
    if (length < 1) length = 1;
    hint = hint == null ? Optional.empty() : hint;
    sourceLine = sourceLine == null ? "" : sourceLine;
  }

  public static Diagnostic error(SourcePos pos, int length, String message, String hint, String sourceLine) {
    return new Diagnostic(Severity.ERROR, pos, length, message, Optional.ofNullable(hint), sourceLine);
  }

  public static Diagnostic warning(SourcePos pos, int length, String message, String hint, String sourceLine) {
    return new Diagnostic(Severity.WARNING, pos, length, message, Optional.ofNullable(hint), sourceLine);
  }
}
