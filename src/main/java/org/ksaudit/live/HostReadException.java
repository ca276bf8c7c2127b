package org.ksaudit.live;

/** The host's state could not be read; the message says what and where. */
public final class HostReadException extends Exception {
  public HostReadException(String message) {
    super(message);
  }
}
