package org.ksaudit.analysis;

import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Table;

/**
 * Which header field a packet space puts first below the few-valued ones (see
 * {@link PacketSpace}): the field one chain tells the most values apart by. A walk of a chain
 * takes each rule's packets out of the packets still unmatched, so after a chain of rules that
 * each name another source address the unmatched set excludes every address named so far. A
 * set's diagram repeats the part above that field's variables once per exclusion it keeps, and
 * each rule rebuilds the nodes above the field: with the field first that part is a few nodes
 * (interfaces, state), with the source address below the destination, ports and protocol it
 * was about 1,200 nodes a rule on 2,000 source allowances (2.5 million nodes in all). The
 * destination is first unless another field has more distinct tests in one chain: a dispatch
 * chain such as kube-proxy's {@code KUBE-SERVICES} names a destination per rule, and its
 * source tests (one per endpoint chain) must stay below the destinations, where each stays in
 * its endpoint's piece of the diagram (with the source first, every rule visit of that dump
 * took eight times as long).
 */
final class LeadingField {
  private LeadingField() {}

  /** The fields that may come first, in the order the space has them otherwise (the first wins a tie). */
  static final List<PacketField> CANDIDATES = List.of(PacketField.DST, PacketField.DPORT, PacketField.PROTO, PacketField.SRC,
      PacketField.SPORT, PacketField.ICMP_TYPE, PacketField.TCP_FLAGS, PacketField.UID, PacketField.GID);

  /** The field to put first for the rulesets one space holds (two when versions are compared). */
  static PacketField of(List<RuleDecoding> decodings) {
    Map<PacketField, Integer> most = new EnumMap<>(PacketField.class);
    for (RuleDecoding d : decodings) {
      for (Table t : d.ruleset().tables()) {
        for (Chain c : t.chains()) {
          Map<PacketField, Set<Condition>> distinct = new EnumMap<>(PacketField.class);
          for (Rule r : c.rules()) {
            for (Condition cond : d.decode(t, r).conditions()) {
              for (PacketField f : tested(cond)) distinct.computeIfAbsent(f, k -> new HashSet<>()).add(cond);
            }
          }
          distinct.forEach((f, conds) -> most.merge(f, conds.size(), Math::max));
        }
      }
    }
    PacketField lead = PacketField.DST;
    for (PacketField f : CANDIDATES) if (most.getOrDefault(f, 0) > most.getOrDefault(lead, 0)) lead = f;
    return lead;
  }

  /** The candidate fields a condition tests. */
  static Set<PacketField> tested(Condition c) {
    if (c instanceof Condition.AddrIn a) return Set.of(a.dir() == Dir.SRC ? PacketField.SRC : PacketField.DST);
    if (c instanceof Condition.AddrRangeIn a) return Set.of(a.dir() == Dir.SRC ? PacketField.SRC : PacketField.DST);
    if (c instanceof Condition.PortIn p) {
      return switch (p.dir()) {
        case SRC -> Set.of(PacketField.SPORT);
        case DST -> Set.of(PacketField.DPORT);
        case EITHER -> Set.of(PacketField.SPORT, PacketField.DPORT);
      };
    }
    if (c instanceof Condition.ProtoIs) return Set.of(PacketField.PROTO);
    if (c instanceof Condition.IcmpIs) return Set.of(PacketField.ICMP_TYPE);
    if (c instanceof Condition.TcpFlagsIs) return Set.of(PacketField.TCP_FLAGS);
    if (c instanceof Condition.OwnerIs o) {
      Set<PacketField> out = new HashSet<>();
      if (o.uid().isPresent()) out.add(PacketField.UID);
      if (o.gid().isPresent()) out.add(PacketField.GID);
      return out;
    }
    return Set.of();
  }
}
