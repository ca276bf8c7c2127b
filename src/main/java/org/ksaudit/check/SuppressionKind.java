package org.ksaudit.check;

/** Where a suppression comes from; {@link #jsonName()} is used verbatim in JSON output. */
public enum SuppressionKind {
  /** A {@code ksaudit:ignore=} comment on the rule the finding points at. */
  INLINE("inline"),
  /** An {@code ignore} line of a {@code .ksauditrc}. */
  CONFIG("config"),
  /** The finding was already in the baseline given with {@code --baseline}. */
  BASELINE("baseline");

  private final String jsonName;

  SuppressionKind(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
