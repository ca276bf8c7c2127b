package org.ksaudit.analysis;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;

/**
 * The rules of one ruleset as the engine reads them (conditions and action), each decoded
 * once and kept. One per analysis: the engines of an analysis share it, and what the packet
 * space must know before it is built (the mark bits rules test) is read from it.
 */
public final class RuleDecoding {
  private final Ruleset ruleset;
  /** The NAT states of --ctstate a target of the ruleset can give a connection. */
  private final Set<String> natStates;
  private final Map<String, RuleDecoder> decoders = new HashMap<>();
  private final Map<Rule, RuleDecoder.Decoded> decoded = new IdentityHashMap<>();
  private long markBits = -1;

  public RuleDecoding(Ruleset ruleset) {
    this.ruleset = ruleset;
    this.natStates = RuleDecoder.natStatesOf(ruleset);
  }

  public Ruleset ruleset() {
    return ruleset;
  }

  public RuleDecoder.Decoded decode(Table table, Rule r) {
    RuleDecoder.Decoded d = decoded.get(r);
    if (d == null) {
      RuleDecoder dec = decoders.computeIfAbsent(table.name(), n -> new RuleDecoder(ruleset.family(), n,
          table.chains().stream().map(Chain::name).collect(Collectors.toSet()), natStates));
      d = dec.decode(r);
      decoded.put(r, d);
    }
    return d;
  }

  /**
   * The mark bits any rule tests ({@code -m mark}, {@code -m connmark}), the same for the
   * packet mark and the connection mark. Rules rewrite marks bit by bit and CONNMARK copies
   * a bit to the same bit of the other mark, so a bit outside this mask never decides
   * anything: the packet space leaves such bits out (see {@link PacketSpace}).
   */
  public long markBits() {
    if (markBits < 0) {
      long bits = 0;
      for (Table t : ruleset.tables()) {
        for (Chain c : t.chains()) {
          for (Rule r : c.rules()) {
            for (Condition cond : decode(t, r).conditions()) if (cond instanceof Condition.MarkIs m) bits |= m.mask();
          }
        }
      }
      markBits = bits & 0xffffffffL;
    }
    return markBits;
  }
}
