package org.ksaudit.setup;

/** Where a part of the setup came from, in the order one overrides the next: a flag wins over all. */
public enum OriginKind {
  FLAG,
  CONFIG,
  RULES,
  DEFAULT
}
