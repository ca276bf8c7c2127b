package org.ksaudit.check;

import java.util.List;

/** One audit check: its metadata and the findings it draws from the shared analysis. */
public interface Check {
  CheckInfo info();

  List<Finding> run(AuditContext context);
}
