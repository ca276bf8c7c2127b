package org.ksaudit.live;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/**
 * A policy routing rule as {@code ip -j rule} shows it: its selectors (source and destination
 * prefix, fwmark and mask, owner uids, input and output interface, {@code not}) and what it does
 * when they match. {@code unread} names selectors this reader does not evaluate (ipproto,
 * ports, tos, ...): whether such a rule matches a packet is not known.
 */
public record PolicyRule(Family family, int priority, boolean not, Optional<Cidr> from, Optional<Cidr> to, Optional<Mark> fwmark,
    Optional<Uids> uids, Optional<String> iif, Optional<String> oif, Action action, String table, int suppressPrefixLength,
    int gotoPriority, List<String> unread) {
  public PolicyRule {
    unread = List.copyOf(unread);
  }

  /** No {@code suppress_prefixlength}. */
  public static final int NO_SUPPRESSION = -1;

  /** What a matching rule does. */
  public enum Action {
    /** Looks the destination up in {@code table}. */
    LOOKUP,
    /** Goes on at the rule of priority {@code gotoPriority}. */
    GOTO,
    /** Nothing: the next rule decides. */
    NOP,
    /** Drops the packet: blackhole, unreachable, prohibit. */
    DROP
  }

  public record Mark(long value, long mask) {}

  public record Uids(long first, long last) {}

  /**
   * Whether the rule's selectors take a packet the host sends: from no bound source address (the
   * kernel looks the route up with source 0 for an unbound socket), through input interface
   * {@code lo}, with no output interface bound; empty when an unread selector decides.
   */
  Optional<Boolean> takesLocal(BigInteger dst, long mark, long uid) {
    boolean m = from.map(c -> c.contains(BigInteger.ZERO)).orElse(true)
        && to.map(c -> c.contains(dst)).orElse(true)
        && fwmark.map(f -> ((mark ^ f.value()) & f.mask()) == 0).orElse(true)
        && uids.map(u -> uid >= u.first() && uid <= u.last()).orElse(true)
        && iif.map(i -> i.equals("lo")).orElse(true)
        && oif.isEmpty();
    if (!unread.isEmpty() && m) return Optional.empty();
    return Optional.of(m != not);
  }

  /** The rule as {@code ip rule} prints it, for messages. */
  public String describe() {
    StringBuilder s = new StringBuilder(priority + ": " + (not ? "not " : "") + "from " + from.map(Cidr::toString).orElse("all"));
    to.ifPresent(c -> s.append(" to ").append(c));
    fwmark.ifPresent(m -> s.append(" fwmark 0x").append(Long.toHexString(m.value()))
        .append(m.mask() == 0xffffffffL ? "" : "/0x" + Long.toHexString(m.mask())));
    uids.ifPresent(u -> s.append(" uidrange ").append(u.first()).append('-').append(u.last()));
    iif.ifPresent(i -> s.append(" iif ").append(i));
    oif.ifPresent(o -> s.append(" oif ").append(o));
    for (String u : unread) s.append(' ').append(u);
    switch (action) {
      case LOOKUP -> s.append(" lookup ").append(table);
      case GOTO -> s.append(" goto ").append(gotoPriority);
      case NOP -> s.append(" nop");
      case DROP -> s.append(" (drops: blackhole, unreachable or prohibit)");
    }
    if (suppressPrefixLength != NO_SUPPRESSION) s.append(" suppress_prefixlength ").append(suppressPrefixLength);
    return s.toString();
  }

  /** The rules a kernel starts with: local, main, default. */
  static List<PolicyRule> defaults(Family f) {
    return List.of(lookup(f, 0, "local"), lookup(f, 32766, "main"), lookup(f, 32767, "default"));
  }

  private static PolicyRule lookup(Family f, int priority, String table) {
    return new PolicyRule(f, priority, false, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Action.LOOKUP, table, NO_SUPPRESSION, 0, List.of());
  }
}
