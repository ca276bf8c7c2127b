package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.value.PortRange;

/** What a matching rule does to a packet, decoded from its target. */
public sealed interface TargetAction {
  /** ACCEPT, DROP or REJECT: the table is done with the packet. */
  record Terminal(Verdict verdict) implements TargetAction {}

  /** RETURN: back to the calling chain (in a built-in chain: its policy). */
  record Return() implements TargetAction {}

  /** {@code -j CHAIN} (returns here) or {@code -g CHAIN} (returns to our caller). */
  record Jump(String chain, boolean isGoto) implements TargetAction {}

  /** A target that changes the packet or only observes it, after which the next rule runs. */
  record Continue(List<Effect> effects) implements TargetAction {
    public Continue {
      effects = List.copyOf(effects);
    }
  }

  /**
   * A NAT target: the nat table accepts the packet; DNAT/REDIRECT also rewrite where it goes,
   * which later tables and routing see.
   */
  record Nat(Optional<DstRewrite> rewrite) implements TargetAction {}

  /** The verdict comes from outside the rules (NFQUEUE, an undefined chain): it may be anything. */
  record UnknownVerdict(UnknownKey key, String why) implements TargetAction {}

  /** A change a non-terminating target makes. */
  sealed interface Effect {}

  /**
   * mark (or ctmark, when {@code conn}) becomes {@code (old & keep) ^ (other & take) ^ constant},
   * where other is the ctmark (or the mark): MARK, CONNMARK --set-*, --save-mark and
   * --restore-mark are all of this form.
   */
  record MarkRewrite(boolean conn, long keep, long take, long constant) implements Effect {}

  /** NOTRACK / CT --notrack: conntrack leaves the packet alone (state UNTRACKED). */
  record Notrack() implements Effect {}

  /** A rewrite of the mark (or ctmark) the engine cannot compute: afterwards it may be anything. */
  record AnyMark(boolean conn) implements Effect {}

  /**
   * The new destination of DNAT / REDIRECT: an address range (empty when unknown, e.g. NETMAP),
   * a port range when given, {@code local} for REDIRECT (the host itself).
   */
  record DstRewrite(Optional<BigInteger> from, Optional<BigInteger> to, Optional<PortRange> ports, boolean local)
      implements Effect {
    /** Whether the rewrite picks among several values (the kernel's choice is not static). */
    public boolean choosesAmongSeveral() {
      boolean addrs = from.isEmpty() || !from.equals(to);
      boolean portChoice = ports.isPresent() && ports.get().from() != ports.get().to();
      return (!local && addrs) || portChoice;
    }
  }
}
