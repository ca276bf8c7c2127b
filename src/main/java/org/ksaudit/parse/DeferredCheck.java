package org.ksaudit.parse;

import org.ksaudit.catalog.CrossCheck;
import org.ksaudit.catalog.RuleView;
import org.ksaudit.model.SourcePos;

/**
 * A check that needs the finished table (which built-in chains reach this rule's chain), run at
 * COMMIT the way the kernel validates a table when it is loaded.
 */
record DeferredCheck(CrossCheck check, RuleView view, SourcePos pos, int length, String sourceLine) {}
