package org.ksaudit.report;

/** What kind of change since the previous run of {@code ksaudit report} an item of {@link RunChanges} is. */
public enum ChangeKind {
  /** A finding this run reports that the previous did not. */
  NEW_FINDING,
  /** A finding the previous run reported that this one does not. */
  FIXED_FINDING,
  /** A probe that leaked in this run's lab and did not in the previous one's. */
  NEW_LEAK,
  /** A probe that leaked in the previous run's lab and no longer does. */
  FIXED_LEAK,
  /** A rule added, removed or changed in a way that changes what gets out ({@code ksaudit diff}). */
  RULE_CHANGED;

  /** As JSON and the page name it: {@code new-finding}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
