package org.ksaudit.parse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.SourcePos;

/** The table being read: chains and their rules as the commands so far have left them. */
final class TableState {
  final String name;
  final SourcePos pos;
  final Map<String, ChainState> chains = new LinkedHashMap<>();
  /**
   * Chains some rule of this restore has jumped to, even if that rule is gone: iptables-nft
   * cannot delete them in the same transaction.
   */
  final java.util.Set<String> jumpedTo = new java.util.HashSet<>();
  /** Rules with their deferred checks, to run at COMMIT. */
  final Map<Rule, List<DeferredCheck>> deferred = new java.util.IdentityHashMap<>();

  TableState(String name, SourcePos pos) {
    this.name = name;
    this.pos = pos;
  }

  static final class ChainState {
    final String name;
    final boolean builtin;
    Optional<Policy> policy;
    final SourcePos pos;
    final boolean declared;
    final List<Rule> rules = new ArrayList<>();

    ChainState(String name, boolean builtin, Optional<Policy> policy, SourcePos pos, boolean declared) {
      this.name = name;
      this.builtin = builtin;
      this.policy = policy;
      this.pos = pos;
      this.declared = declared;
    }
  }
}
