package org.ksaudit.catalog;

/** A value the kernel tools would refuse; carries the message and an optional hint. */
public class BadValue extends Exception {
  private final String hint;

  public BadValue(String message) {
    this(message, null);
  }

  public BadValue(String message, String hint) {
    super(message, null, false, false);
    this.hint = hint;
  }

  public String hint() {
    return hint;
  }
}
