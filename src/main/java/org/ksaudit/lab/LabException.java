package org.ksaudit.lab;

/** The lab could not be built or driven; the message says what is missing and how to fix it. */
public class LabException extends Exception {
  public LabException(String message) {
    super(message, null, false, false);
  }
}
