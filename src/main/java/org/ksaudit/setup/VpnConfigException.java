package org.ksaudit.setup;

/** A VPN config file ksaudit cannot use; the message is one line, with the file and line where it can. */
public final class VpnConfigException extends Exception {
  public VpnConfigException(String message) {
    super(message, null, false, false);
  }
}
