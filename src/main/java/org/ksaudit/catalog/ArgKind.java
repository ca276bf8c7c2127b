package org.ksaudit.catalog;

/**
 * How many argv words an option takes. NONE, REQUIRED and OPTIONAL are getopt_long's has_arg;
 * PAIR is a required argument whose extension then also takes the next word itself
 * ({@code --tcp-flags MASK COMP}, {@code --match-set NAME FLAGS}), refusing one that starts
 * with '-' or '!'.
 */
public enum ArgKind {
  NONE,
  REQUIRED,
  OPTIONAL,
  PAIR
}
