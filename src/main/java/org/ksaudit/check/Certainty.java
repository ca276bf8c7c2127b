package org.ksaudit.check;

/**
 * Whether a finding holds whatever the matches ksaudit cannot interpret decide
 * ({@code definite}), or only for some outcomes of them ({@code possible}).
 */
public enum Certainty {
  DEFINITE("definite"),
  POSSIBLE("possible");

  private final String label;

  Certainty(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  @Override
  public String toString() {
    return label;
  }
}
