package org.ksaudit.model;

/** Policy of a built-in chain; the kernel accepts no other. */
public enum Policy {
  ACCEPT,
  DROP
}
