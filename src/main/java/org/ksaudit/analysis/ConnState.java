package org.ksaudit.analysis;

import java.util.Locale;
import java.util.Optional;

/**
 * The conntrack state a packet gets once connection tracking has seen it; UNTRACKED only
 * after NOTRACK / CT --notrack in the raw table. (SNAT and DNAT of {@code --ctstate} are
 * not states of this dimension: the engine treats them as unknown.)
 */
public enum ConnState {
  NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED;

  public static Optional<ConnState> byName(String name) {
    try {
      return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
