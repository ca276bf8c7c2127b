package org.ksaudit.live;

import org.ksaudit.model.Family;
import org.ksaudit.parse.Backend;

/** One backend's rules of one family as its save tool printed them; {@code name} is the tool or file it came from. */
public record RulesDump(Backend backend, Family family, String name, String text) {
  /**
   * Whether the dump holds anything that filters: a rule, or a built-in chain whose policy is
   * not ACCEPT. A backend whose tables are all empty with ACCEPT policies lets everything
   * through and leaves the decision to the other backend.
   */
  public boolean holdsRules() {
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      if (line.startsWith("-A ") || line.startsWith("-I ")) return true;
      if (line.startsWith(":") && !line.matches(":\\S+ (ACCEPT|-) .*") && !line.matches(":\\S+ (ACCEPT|-)")) return true;
    }
    return false;
  }
}
