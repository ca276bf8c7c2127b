package org.ksaudit.analysis;

import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;

/** Observes a symbolic traversal: which packets enter each chain and which each rule takes. */
public interface Recorder {
  void entered(String table, Chain chain, int set);

  void matched(String table, Rule rule, int set);

  Recorder NONE = new Recorder() {
    @Override
    public void entered(String table, Chain chain, int set) {}

    @Override
    public void matched(String table, Rule rule, int set) {}
  };
}
