package org.ksaudit.analysis;

import org.ksaudit.model.SourcePos;

/**
 * A place where a walk of the rules reached one of the engine's own limits and did not
 * follow a jump: {@code at} is the jump rule, in {@code table}/{@code chain}, to
 * {@code target}. What lies beyond it is unknown to the analysis (see {@link SetEngine}).
 */
public record AnalysisLimit(Kind kind, String table, String chain, String target, SourcePos at) {
  /** Which limit. */
  public enum Kind {
    /** Chains nested deeper than {@link SetEngine#MAX_DEPTH} jumps. */
    DEPTH,
    /** More rule visits in one walk than {@link SetEngine#MAX_VISITS}: jumps that fan out into more paths than the engine follows. */
    WORK
  }

  /** The limit in words, for a report. */
  public String describe() {
    return switch (kind) {
      case DEPTH -> "chains nest deeper than " + SetEngine.MAX_DEPTH + " jumps";
      case WORK -> "the jumps fan out into more than " + SetEngine.MAX_VISITS + " rule visits in one walk";
    };
  }
}
