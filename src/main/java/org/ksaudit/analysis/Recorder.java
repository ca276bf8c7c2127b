package org.ksaudit.analysis;

import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;

/** Observes a symbolic traversal: which packets enter each chain, which each rule takes, which reach a policy. */
public interface Recorder {
  default void entered(String table, Chain chain, int set) {}

  default void matched(String table, Rule rule, int set) {}

  default void policy(String table, Chain chain, int set) {}

  Recorder NONE = new Recorder() {};
}
