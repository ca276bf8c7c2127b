package org.ksaudit.catalog;

import java.util.Optional;

/** A load-time rule of the kernel that involves more than one option; empty means "fine". */
@FunctionalInterface
public interface CrossCheck {
  Optional<BadValue> check(RuleView rule);

  CrossCheck NONE = r -> Optional.empty();
}
