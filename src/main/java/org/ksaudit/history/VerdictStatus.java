package org.ksaudit.history;

import java.util.Locale;

/** The state a run's verdict states, in one word. */
public enum VerdictStatus {
  /** No reported finding at or above the fail threshold, and (with the lab) no leak measured and the VPN working. */
  PASS,
  /** A reported finding at or above the threshold, a measured leak, or a lab whose VPN does not work through the rules. */
  FAIL,
  /** iptables-restore would refuse the rules: nothing was audited. */
  REFUSED;

  /** As report.json writes it: {@code pass}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
