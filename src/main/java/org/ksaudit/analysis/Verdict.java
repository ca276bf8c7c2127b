package org.ksaudit.analysis;

/** What finally happens to a packet on a path: it leaves (or is delivered), or it is stopped. */
public enum Verdict {
  ACCEPT, DROP, REJECT
}
