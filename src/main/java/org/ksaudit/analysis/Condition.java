package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.NumberRange;
import org.ksaudit.model.value.PortRange;

/**
 * One test a rule makes, decoded from the model into the engine's terms. A rule matches when
 * all its conditions hold. {@link #test} is the concrete meaning, written after the kernel's
 * match functions; {@link SymbolicCompiler} gives the same meaning as a packet set.
 */
public sealed interface Condition {
  boolean test(Packet p, UnknownOracle oracle);

  /** {@code -p}: protocol 0 ("all") matches every packet. */
  record ProtoIs(int proto, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      return (proto == 0 || p.proto() == proto) ^ negated;
    }
  }

  /** {@code -s} / {@code -d}: any of the prefixes. */
  record AddrIn(Dir dir, List<Cidr> cidrs, boolean negated) implements Condition {
    public AddrIn {
      cidrs = List.copyOf(cidrs);
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      BigInteger a = dir == Dir.SRC ? p.src() : p.dst();
      return cidrs.stream().anyMatch(c -> c.contains(a)) ^ negated;
    }
  }

  /** {@code -m iprange}: an inclusive range. */
  record AddrRangeIn(Dir dir, BigInteger from, BigInteger to, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      BigInteger a = dir == Dir.SRC ? p.src() : p.dst();
      return (a.compareTo(from) >= 0 && a.compareTo(to) <= 0) ^ negated;
    }
  }

  /**
   * Ports of tcp/udp/multiport; EITHER is multiport's {@code --ports}. Like the kernel's
   * port matches, it never matches a non-first fragment, negated or not.
   */
  record PortIn(Dir dir, List<PortRange> ranges, boolean negated) implements Condition {
    public PortIn {
      ranges = List.copyOf(ranges);
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.fragment()) return false;
      boolean in = switch (dir) {
        case SRC -> contains(p.sport());
        case DST -> contains(p.dport());
        case EITHER -> contains(p.sport()) || contains(p.dport());
      };
      return in ^ negated;
    }

    private boolean contains(int port) {
      return ranges.stream().anyMatch(r -> r.contains(port));
    }
  }

  /** {@code -i} (dir SRC) / {@code -o} (dir DST). */
  record IfaceIs(Dir dir, InterfaceName name, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      return name.matches(dir == Dir.SRC ? p.iif() : p.oif()) ^ negated;
    }
  }

  /**
   * {@code --state} / {@code --ctstate}. In the raw table conntrack has not run yet, so a
   * packet shows as INVALID (or UNTRACKED once NOTRACK marked it). SNAT/DNAT states, when
   * listed, are decided by {@code virtualStates}.
   */
  record StateIn(Set<ConnState> states, Optional<UnknownKey> virtualStates, boolean negated, boolean raw)
      implements Condition {
    public StateIn {
      states = Set.copyOf(states);
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      ConnState seen = raw ? (p.state() == ConnState.UNTRACKED ? ConnState.UNTRACKED : ConnState.INVALID) : p.state();
      boolean in = states.contains(seen) || virtualStates.map(o::test).orElse(false);
      return in ^ negated;
    }
  }

  /** {@code -m mark --mark} (conn false) / {@code -m connmark --mark} (conn true). */
  record MarkIs(boolean conn, long value, long mask, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      long m = conn ? p.ctmark() : p.mark();
      return ((m & mask) == value) ^ negated;
    }
  }

  /** {@code -m addrtype --src-type / --dst-type}: any of the types. */
  record AddrTypeIn(Dir dir, Set<AddrType> types, boolean negated) implements Condition {
    public AddrTypeIn {
      types = Set.copyOf(types);
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      return types.contains(dir == Dir.SRC ? p.srcType() : p.dstType()) ^ negated;
    }
  }

  /** {@code --icmp-type} / {@code --icmpv6-type}; never matches a non-first fragment. */
  record IcmpIs(int type, int codeFrom, int codeTo, boolean any, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.fragment()) return false;
      boolean in = any || (p.icmpType() == type && p.icmpCode() >= codeFrom && p.icmpCode() <= codeTo);
      return in ^ negated;
    }
  }

  /** {@code --tcp-flags MASK COMP} and {@code --syn}; never matches a non-first fragment. */
  record TcpFlagsIs(int mask, int comp, boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.fragment()) return false;
      return ((p.tcpFlags() & mask) == comp) ^ negated;
    }
  }

  /** {@code -f}: second and later fragments. */
  record FragmentIs(boolean negated) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      return p.fragment() ^ negated;
    }
  }

  /**
   * {@code -m owner}, as xt_owner decides it: without a socket the match holds only when every
   * given option is negated; with one, each given option must hold (or fail, when negated).
   */
  record OwnerIs(
      Optional<NumberRange> uid,
      boolean uidNegated,
      Optional<NumberRange> gid,
      boolean gidNegated,
      Optional<UnknownKey> supplementaryGroups,
      boolean socketExists,
      boolean socketNegated)
      implements Condition {
    /** The no-socket outcome: every option given is negated (--suppl-groups cannot be). */
    public boolean matchesWithoutSocket() {
      if (uid.isPresent() && !uidNegated) return false;
      if (gid.isPresent() && !gidNegated) return false;
      if (socketExists && !socketNegated) return false;
      return supplementaryGroups.isEmpty();
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (!p.socket()) return matchesWithoutSocket();
      if (socketExists && socketNegated) return false;
      if (uid.isPresent() && !(uid.get().contains(p.uid()) ^ uidNegated)) return false;
      if (gid.isPresent()) {
        boolean in = gid.get().contains(p.gid()) || supplementaryGroups.map(o::test).orElse(false);
        if (!(in ^ gidNegated)) return false;
      }
      return true;
    }
  }

  /**
   * {@code -m pkttype}. Every packet that can leave the host has the link-layer type "host"
   * (libxt_pkttype's unicast and host): a locally generated one whatever its destination
   * (measured in OUTPUT and POSTROUTING for unicast, broadcast and multicast destinations),
   * and a forwarded one because the kernel forwards nothing else (ip_forward drops other
   * types). Before routing (no output device yet: PREROUTING, INPUT) a received packet may be
   * broadcast, multicast or for another host: there the oracle decides.
   */
  record PacketTypeIs(boolean host, boolean negated, UnknownKey received) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.oif().isEmpty()) return o.test(received);
      return host ^ negated;
    }
  }

  /** Whether conntrack has an entry for the packet when a rule sees it: not in raw, not for INVALID or UNTRACKED. */
  private static boolean hasConntrackEntry(Packet p, boolean raw) {
    return !raw && p.state() != ConnState.INVALID && p.state() != ConnState.UNTRACKED;
  }

  /**
   * {@code -m conntrack --ctdir}. Without a conntrack entry xt_conntrack stops before the
   * direction test and matches exactly when the same match tests a state
   * ({@code stateTested}; the state test itself is a {@link StateIn} beside this). The first
   * packet of a new connection travels in the original direction (measured); a packet of an
   * existing connection may travel either way: the oracle decides.
   */
  record CtDirIs(boolean original, boolean stateTested, boolean raw, UnknownKey existing) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (!hasConntrackEntry(p, raw)) return stateTested;
      if (p.state() == ConnState.NEW) return original;
      return o.test(existing);
    }
  }

  /**
   * {@code -m connbytes}: the connection's counters as conntrack left them, which counts a
   * packet before mangle, nat and filter see it. Without a conntrack entry it never matches,
   * negated or not. For the first packet of a new connection the counters hold that packet
   * alone: one packet of its length in the original direction, none in reply (all measured).
   * {@code from} and {@code to} are unsigned, as the kernel stores them: a negated range is
   * stored swapped and tested as "below to or above from", except that a swapped range of one
   * value still tests equality (xt_connbytes compares to >= from first).
   */
  record ConnBytesIn(Counter counter, Direction direction, long from, long to, boolean negated, boolean raw,
      UnknownKey undecided) implements Condition {
    public enum Counter { PACKETS, BYTES, AVGPKT }

    public enum Direction { ORIGINAL, REPLY, BOTH }

    /** The counter's value for the first packet of a new connection of this length, if it does not depend on the length. */
    Optional<Long> firstPacketValue(Optional<Integer> length) {
      if (direction == Direction.REPLY) return Optional.of(0L);
      if (counter == Counter.PACKETS) return Optional.of(1L);
      return length.map(Long::valueOf);
    }

    /** xt_connbytes' comparison, with the range as the kernel stores it. */
    boolean holds(long what) {
      long lo = negated ? to : from;
      long hi = negated ? from : to;
      if (Long.compareUnsigned(hi, lo) >= 0) return Long.compareUnsigned(what, lo) >= 0 && Long.compareUnsigned(what, hi) <= 0;
      return Long.compareUnsigned(what, hi) < 0 || Long.compareUnsigned(what, lo) > 0;
    }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (!hasConntrackEntry(p, raw)) return false;
      if (p.state() != ConnState.NEW) return o.test(undecided);
      Optional<Long> what = firstPacketValue(p.shape().map(Packet.Shape::length));
      return what.isPresent() ? holds(what.get()) : o.test(undecided);
    }
  }

  /** {@code -m length}: the total length, known for a packet whose shape is known (a probe); else the oracle decides. */
  record LengthIn(NumberRange range, boolean negated, UnknownKey undecided) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.shape().isEmpty()) return o.test(undecided);
      return range.contains(p.shape().get().length()) ^ negated;
    }
  }

  /** {@code -m ttl} / {@code -m hl}: compared with the TTL or hop limit of a packet whose shape is known. */
  record TtlIs(Comparison comparison, int value, UnknownKey undecided) implements Condition {
    public enum Comparison { EQ, NE, LT, GT }

    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.shape().isEmpty()) return o.test(undecided);
      int ttl = p.shape().get().ttl();
      return switch (comparison) {
        case EQ -> ttl == value;
        case NE -> ttl != value;
        case LT -> ttl < value;
        case GT -> ttl > value;
      };
    }
  }

  /** {@code --tcp-option}: whether a TCP packet of known shape carries an option of this kind; never a non-first fragment. */
  record TcpOptionIs(int kind, boolean negated, UnknownKey undecided) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      if (p.fragment()) return false;
      if (p.shape().isEmpty()) return o.test(undecided);
      return p.shape().get().tcpOptions().contains(kind) ^ negated;
    }
  }

  /** A match the engine cannot decide: the oracle (or, symbolically, a free variable) does. */
  record Unknown(UnknownKey key) implements Condition {
    @Override
    public boolean test(Packet p, UnknownOracle o) {
      return o.test(key);
    }
  }
}
