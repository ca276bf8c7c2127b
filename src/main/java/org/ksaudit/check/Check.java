package org.ksaudit.check;

import java.util.List;

/** One audit check: its metadata and the findings it draws from the shared analysis. */
public interface Check {
  CheckInfo info();

  /**
   * Which analysis the check reads: the audit runs the checks purpose by purpose and drops
   * each purpose's analyses when its checks are done.
   */
  AuditContext.Purpose purpose();

  List<Finding> run(AuditContext context);
}
