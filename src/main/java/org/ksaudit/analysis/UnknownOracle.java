package org.ksaudit.analysis;

import java.util.Map;

/** Decides, for the concrete interpreter, what the engine cannot: an uninterpretable match's outcome. */
@FunctionalInterface
public interface UnknownOracle {
  boolean test(UnknownKey key);

  /** Every unknown match fails and every unknown verdict is DROP: what a trace shows unless told otherwise. */
  UnknownOracle NONE = k -> false;

  /** Outcomes read from a witness; unknowns it does not mention fail. */
  static UnknownOracle of(Map<UnknownKey, Boolean> outcomes) {
    return k -> outcomes.getOrDefault(k, false);
  }
}
