package org.ksaudit.setup;

import java.util.Objects;
import org.ksaudit.model.SourcePos;

/**
 * Where one part of the setup came from: a flag ({@code --endpoint}), a line of the VPN's
 * config file, a rule (file and line), or the lab's default.
 *
 * @param where the flag's name, {@code FILE:LINE}, or the reason for a default
 */
public record Origin(OriginKind kind, String where) {
  public Origin {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(where, "where");
  }

  public static Origin flag(String name) {
    return new Origin(OriginKind.FLAG, name);
  }

  public static Origin config(String file, int line) {
    return new Origin(OriginKind.CONFIG, file + ":" + line);
  }

  public static Origin rule(SourcePos pos) {
    return new Origin(OriginKind.RULES, pos.file() + ":" + pos.line());
  }

  public static Origin byDefault(String why) {
    return new Origin(OriginKind.DEFAULT, why);
  }

  /** As the report prints it: {@code (--endpoint)}, {@code (config wg0.conf:7)}, {@code (rules rules.v4:14)}, {@code (default: ...)}. */
  @Override
  public String toString() {
    return switch (kind) {
      case FLAG -> "(" + where + ")";
      case CONFIG -> "(config " + where + ")";
      case RULES -> "(rules " + where + ")";
      case DEFAULT -> where.isEmpty() ? "(default)" : "(default: " + where + ")";
    };
  }
}
