package org.ksaudit.analysis;

import org.ksaudit.model.SourcePos;

/**
 * Something on a rule the engine cannot decide statically: a match ({@code part} is its
 * index on the rule), the whole rule when it could not be read, a verdict decided outside
 * the kernel's rules (NFQUEUE), or a rewrite that picks one of several values.
 */
public record UnknownKey(SourcePos rule, int part, String what) {
  public static final int WHOLE_RULE = -1;
  public static final int VERDICT = -2;
  public static final int REWRITE = -3;
}
