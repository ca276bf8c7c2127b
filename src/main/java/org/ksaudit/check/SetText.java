package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.analysis.SetScope;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/** Words for a packet set in a finding's message: its protocols, destinations and interfaces. */
final class SetText {
  private SetText() {}

  private static final Cidr MULTICAST_AND_ABOVE_V4 = LeakScene.cidr(Family.IPV4, "224.0.0.0", 3);
  private static final Cidr MULTICAST_V6 = LeakScene.cidr(Family.IPV6, "ff00::", 8);

  /**
   * The fields the words read, and only those: a leak set spans every field of a packet, and
   * each question about it walks all of it; its projection, made once, is a fraction of it and
   * answers every question the words ask the same.
   */
  static PacketSet shown(PacketSet set) {
    return set.keepingOnly(PacketField.OIF, PacketField.PROTO, PacketField.ORIG_DST, PacketField.ORIG_DPORT, PacketField.SPORT,
        PacketField.ICMP_TYPE, PacketField.SRC, PacketField.UID, PacketField.GID);
  }

  static String protocols(PacketSet set, Family fam) {
    PacketSet p = set.keepingOnly(PacketField.PROTO);
    if (p.isAll()) return "any protocol";
    List<String> names = new ArrayList<>();
    int others = 0;
    for (PacketSet.Range r : p.runs(PacketField.PROTO, 256).orElseThrow()) {
      for (int v = r.from().intValueExact(); v <= r.to().intValueExact(); v++) {
        if (v == Packet.TCP) names.add("TCP");
        else if (v == Packet.UDP) names.add("UDP");
        else if (v == Packet.icmpProto(fam)) names.add(fam == Family.IPV4 ? "ICMP" : "ICMPv6");
        else others++;
      }
    }
    if (others > 0) names.add(others == 1 ? "one other protocol" : others + " other protocols");
    return join(names);
  }

  /** "any destination", "10.45.16.1", "192.168.1.0/24", a few prefixes or ranges, or "addresses from A to B". */
  static String destinations(RulesetAnalysis a, SetScope s, PacketSet set) {
    PacketField f = PacketField.ORIG_DST;
    PacketSet d = set.keepingOnly(f);
    Family fam = a.ruleset().family();
    // link-local destinations are a kind of traffic of their own, said apart: "any destination" holds without them
    PacketSet any = a.anyDestination(s);
    PacketSet all = any;
    for (Cidr c : LinkScope.destinations(fam)) all = all.minus(s.within(f, c));
    // TCP never goes to a multicast or broadcast address: "any destination" for TCP means every unicast one
    if (set.isWithin(s.where(PacketField.PROTO, Packet.TCP))) {
      all = all.minus(s.within(f, fam == Family.IPV4 ? MULTICAST_AND_ABOVE_V4 : MULTICAST_V6));
    }
    if (all.isWithin(d)) return "any destination";
    List<String> missing = all.minus(d).prefixes(f, 8).orElse(List.of()).stream()
        .map(p -> IpText.format(fam, p.value()) + (p.length() == fam.bits() ? "" : "/" + p.length())).toList();
    if (!missing.isEmpty()) return "any destination except " + join(missing);
    // what the scenario cannot send to (loopback, "this network") is no part of what the rule names
    List<String> pieces = ranges(s, f, d.or(s.all().minus(any)), d.and(any), fam, 8);
    if (!pieces.isEmpty()) return join(pieces);
    return "addresses from " + IpText.format(fam, d.min(f)) + " to " + IpText.format(fam, d.max(f)) + " (not all of them)";
  }

  /**
   * The values of {@code wanted} as prefixes or ranges, at most {@code max} of them, or an empty
   * list when it needs more; values of {@code free} outside {@code wanted} may be included where
   * that makes fewer pieces.
   */
  static List<String> ranges(SetScope s, PacketField f, PacketSet free, PacketSet wanted, Family fam, int max) {
    Optional<List<PacketSet.Range>> runs = free.runs(f, 64);
    if (runs.isEmpty()) return List.of();
    int bits = fam.bits();
    List<String> out = new ArrayList<>();
    for (PacketSet.Range r : runs.get()) {
      // a run only made of values outside what is wanted adds nothing
      if (!s.between(f, r.from(), r.to()).intersects(wanted)) continue;
      if (out.size() >= max) return List.of();
      out.add(rangeText(r.from(), r.to(), fam, bits));
    }
    return out;
  }

  private static String rangeText(BigInteger lo, BigInteger hi, Family fam, int bits) {
    if (lo.equals(hi)) return IpText.format(fam, lo);
    BigInteger size = hi.subtract(lo).add(BigInteger.ONE);
    int len = bits - (size.bitLength() - 1);
    boolean prefix = size.bitCount() == 1 && lo.mod(size).signum() == 0;
    return prefix ? IpText.format(fam, lo) + "/" + len : IpText.format(fam, lo) + "-" + IpText.format(fam, hi);
  }

  /**
   * The conditions a set's packets meet beyond protocol and destination, in words: ports,
   * ICMP types, source address and port, owner. Empty where the set takes every value.
   */
  static List<String> conditions(RulesetAnalysis a, SetScope s, PacketSet set) {
    Family fam = a.ruleset().family();
    List<String> out = new ArrayList<>();
    PacketSet ported = set.and(s.where(PacketField.PROTO, Packet.TCP).or(s.where(PacketField.PROTO, Packet.UDP)));
    if (!ported.isEmpty()) {
      numbers(s, PacketField.ORIG_DPORT, ported, "port", "ports").ifPresent(out::add);
      numbers(s, PacketField.SPORT, ported, "source port", "source ports").ifPresent(out::add);
    }
    PacketSet icmp = set.and(s.where(PacketField.PROTO, Packet.icmpProto(fam)));
    if (!icmp.isEmpty()) numbers(s, PacketField.ICMP_TYPE, icmp, "ICMP type", "ICMP types").ifPresent(out::add);
    PacketSet src = set.keepingOnly(PacketField.SRC);
    if (!src.isAll()) {
      // a source range the rule names limits the leak; a few addresses an earlier rule took away do not
      List<String> r = ranges(s, PacketField.SRC, src, src, fam, 4);
      boolean almostAll = !r.isEmpty() && src.min(PacketField.SRC).signum() == 0
          && src.max(PacketField.SRC).equals(s.largest(PacketField.SRC));
      if (!almostAll) out.add("from " + (r.isEmpty() ? "some source addresses" : join(r)));
    }
    numbers(s, PacketField.UID, set, "uid", "uids").ifPresent(out::add);
    numbers(s, PacketField.GID, set, "gid", "gids").ifPresent(out::add);
    return out;
  }

  /**
   * "port 53", "ports 1194-1197 and 1300-1302", or nothing: values of a field among a set's
   * packets that limit the leak, not the few an earlier rule took away from every value (those
   * leave the leak as wide).
   */
  private static Optional<String> numbers(SetScope s, PacketField f, PacketSet set, String one, String many) {
    PacketSet values = set.keepingOnly(f);
    if (values.isAll() || values.isEmpty()) return Optional.empty();
    Optional<List<PacketSet.Range>> found = values.runs(f, 64);
    if (found.isEmpty()) return Optional.empty();
    List<PacketSet.Range> runs = found.get();
    if (runs.get(0).from().signum() == 0 && runs.get(runs.size() - 1).to().equals(s.largest(f))) return Optional.empty();
    if (runs.size() > 4) return Optional.of("some " + many);
    List<String> in = new ArrayList<>();
    for (PacketSet.Range r : runs) in.add(r.from().equals(r.to()) ? r.from().toString() : r.from() + "-" + r.to());
    return Optional.of((in.size() == 1 && !in.get(0).contains("-") ? one : many) + " " + join(in));
  }

  /** The output interfaces: familiar names, and "any interface but the tunnel" when it is all of them. */
  static String interfaces(RulesetAnalysis a, PacketSet set) {
    List<String> names = a.leavesThrough(set);
    if (names.size() == a.routableInterfaces().size()) return "any interface but the tunnel";
    return join(names);
  }

  static String join(List<String> names) {
    if (names.isEmpty()) return "nothing";
    if (names.size() == 1) return names.get(0);
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }
}
