package org.ksaudit.catalog;

/** Whether an option takes an argument, as in getopt_long's has_arg. */
public enum ArgKind {
  NONE,
  REQUIRED,
  OPTIONAL
}
