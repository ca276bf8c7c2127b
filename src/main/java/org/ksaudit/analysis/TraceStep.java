package org.ksaudit.analysis;

/**
 * One step of a packet's path through the rules: a rule that matched (its file and line) or
 * the policy of a built-in chain (the line that declared the chain), and what it did.
 */
public record TraceStep(String file, int line, String table, String chain, String target, boolean policy) {
  /** {@code article.v4:15 filter/OUTPUT ACCEPT}, or {@code ... policy DROP}. */
  public String describe() {
    return file + ":" + line + " " + table + "/" + chain + " " + (policy ? "policy " : "") + target;
  }
}
