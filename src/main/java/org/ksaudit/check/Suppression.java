package org.ksaudit.check;

import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.model.SourcePos;

/**
 * Why a finding is not reported: its {@code kind}, the {@code reason} the user gave (or, for a
 * config ignore and a baseline, where it comes from), the last day it holds ({@code until}) and
 * where it is written ({@code at}: the comment on the rule, the line of the config file, the
 * baseline file).
 */
public record Suppression(SuppressionKind kind, String reason, Optional<LocalDate> until, SourcePos at) {
  public Suppression {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(at, "at");
  }

  /**
   * {@code inline at rules.v4:14:30, until 2027-01-31: printer on the LAN}, as the text report
   * lists it; the reason of a config ignore or a baseline already says where it comes from.
   */
  public String describe() {
    String where = kind == SuppressionKind.INLINE ? " at " + at : "";
    return kind.jsonName() + where + until.map(d -> ", until " + d).orElse("") + ": " + reason;
  }
}
