package org.ksaudit.check;

import org.ksaudit.model.Family;

/** Where the audited rules come from, which decides how a family without rules is named. */
public enum RulesOrigin {
  /** Dumps given as files or on standard input. */
  FILES,
  /** The save tools' output on a host ({@code --live}, {@code --from}). */
  HOST;

  /** The words for a family whose rules are missing: no file was given, or neither backend's save tool printed any. */
  public String missing(Family f) {
    String tool = f == Family.IPV4 ? "iptables" : "ip6tables";
    return this == FILES ? "no " + (f == Family.IPV4 ? "IPv4" : "IPv6") + " ruleset given"
        : "no " + tool + " rules were read from the host (neither " + tool + "-nft-save nor " + tool + "-legacy-save printed any)";
  }
}
