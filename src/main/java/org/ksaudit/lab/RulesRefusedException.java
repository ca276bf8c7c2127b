package org.ksaudit.lab;

/** The kernel refused the user's rules: bad input rather than a broken lab. */
public final class RulesRefusedException extends LabException {
  public RulesRefusedException(String message) {
    super(message);
  }
}
