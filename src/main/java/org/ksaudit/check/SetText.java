package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Bdd;
import org.ksaudit.analysis.BitField;
import org.ksaudit.analysis.InterfaceUniverse;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.PacketSpace;
import org.ksaudit.analysis.RulesetAnalysis;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/** Words for a packet set in a finding's message: its protocols, destinations and interfaces. */
final class SetText {
  private SetText() {}

  static String protocols(PacketSpace s, int set) {
    Bdd b = s.bdd();
    int p = s.proto.project(set);
    if (p == Bdd.TRUE) return "any protocol";
    List<String> names = new ArrayList<>();
    int others = 0;
    for (int v = 0; v < 256; v++) {
      if (b.and(p, s.proto.eq(v)) == Bdd.FALSE) continue;
      if (v == Packet.TCP) names.add("TCP");
      else if (v == Packet.UDP) names.add("UDP");
      else if (v == Packet.icmpProto(s.family())) names.add(s.family() == Family.IPV4 ? "ICMP" : "ICMPv6");
      else others++;
    }
    if (others > 0) names.add(others == 1 ? "one other protocol" : others + " other protocols");
    return join(names);
  }

  /** "any destination", "10.45.16.1", "192.168.1.0/24", a few prefixes or ranges, or "addresses from A to B". */
  static String destinations(RulesetAnalysis a, int set) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    BitField f = s.origDst;
    int d = f.project(set);
    Family fam = s.family();
    // link-local destinations are a kind of traffic of their own, said apart: "any destination" holds without them
    int any = a.anyDestination();
    int all = any;
    for (Cidr c : LinkScope.destinations(fam)) all = b.diff(all, s.cidr(f, c));
    // TCP never goes to a multicast or broadcast address: "any destination" for TCP means every unicast one
    if (b.subset(set, s.proto.eq(Packet.TCP))) {
      all = b.diff(all, fam == Family.IPV4 ? s.cidr(f, LeakPartition.cidr(fam, "224.0.0.0", 3)) : s.cidr(f, LeakPartition.cidr(fam, "ff00::", 8)));
    }
    if (b.subset(all, d)) return "any destination";
    List<String> missing = prefixes(b, f, b.diff(all, d), fam, 8);
    if (!missing.isEmpty()) return "any destination except " + join(missing);
    // what the scenario cannot send to (loopback, "this network") is no part of what the rule names
    List<String> pieces = ranges(b, f, b.or(d, b.not(any)), b.and(d, any), fam, 8);
    if (!pieces.isEmpty()) return join(pieces);
    BigInteger lo = f.min(d);
    BigInteger hi = f.max(d);
    return "addresses from " + IpText.format(fam, lo) + " to " + IpText.format(fam, hi) + " (not all of them)";
  }

  /**
   * The values of {@code wanted} as prefixes or ranges, at most {@code max} of them, or an empty
   * list when it needs more; values of {@code free} outside {@code wanted} may be included where
   * that makes fewer pieces.
   */
  static List<String> ranges(Bdd b, BitField f, int free, int wanted, Family fam, int max) {
    List<BigInteger[]> runs = new ArrayList<>();
    if (!runs(b, f, free, BigInteger.ZERO, 0, runs, 64)) return List.of();
    List<String> out = new ArrayList<>();
    for (BigInteger[] r : runs) {
      // a run only made of values outside what is wanted adds nothing
      if (b.and(f.range(r[0], r[1]), wanted) == Bdd.FALSE) continue;
      if (out.size() >= max) return List.of();
      out.add(rangeText(r[0], r[1], fam, f.bits()));
    }
    return out;
  }

  /** Maximal runs of consecutive values of a set, merged from its prefixes; false past {@code max} prefixes. */
  private static boolean runs(Bdd b, BitField f, int set, BigInteger value, int len, List<BigInteger[]> out, int max) {
    int here = f.prefix(value, len);
    if (b.and(set, here) == Bdd.FALSE) return true;
    int bits = f.bits();
    if (b.subset(here, set)) {
      BigInteger last = value.add(BigInteger.ONE.shiftLeft(bits - len)).subtract(BigInteger.ONE);
      if (!out.isEmpty() && out.get(out.size() - 1)[1].add(BigInteger.ONE).equals(value)) out.get(out.size() - 1)[1] = last;
      else if (out.size() >= max) return false;
      else out.add(new BigInteger[] {value, last});
      return true;
    }
    if (len == bits) return true;
    BigInteger one = value.setBit(bits - 1 - len);
    return runs(b, f, set, value, len + 1, out, max) && runs(b, f, set, one, len + 1, out, max);
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
  static List<String> conditions(RulesetAnalysis a, int set) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    List<String> out = new ArrayList<>();
    int ported = b.and(set, b.or(s.proto.eq(Packet.TCP), s.proto.eq(Packet.UDP)));
    if (ported != Bdd.FALSE) {
      numbers(b, s.origDport, s.origDport.project(ported), "port", "ports").ifPresent(out::add);
      numbers(b, s.sport, s.sport.project(ported), "source port", "source ports").ifPresent(out::add);
    }
    int icmp = b.and(set, s.proto.eq(Packet.icmpProto(s.family())));
    if (icmp != Bdd.FALSE) numbers(b, s.icmpType, s.icmpType.project(icmp), "ICMP type", "ICMP types").ifPresent(out::add);
    int src = s.src.project(set);
    if (src != Bdd.TRUE) {
      // a source range the rule names limits the leak; a few addresses an earlier rule took away do not
      List<String> r = ranges(b, s.src, src, src, s.family(), 4);
      boolean almostAll = !r.isEmpty() && s.src.min(src).signum() == 0
          && s.src.max(src).equals(BigInteger.ONE.shiftLeft(s.family().bits()).subtract(BigInteger.ONE));
      if (!almostAll) out.add("from " + (r.isEmpty() ? "some source addresses" : join(r)));
    }
    numbers(b, s.uid, s.uid.project(set), "uid", "uids").ifPresent(out::add);
    numbers(b, s.gid, s.gid.project(set), "gid", "gids").ifPresent(out::add);
    return out;
  }

  /**
   * "port 53", "ports 1194-1197 and 1300-1302", or nothing: values that limit the leak, not
   * the few an earlier rule took away from every value (those leave the leak as wide).
   */
  private static java.util.Optional<String> numbers(Bdd b, BitField f, int values, String one, String many) {
    if (values == Bdd.TRUE || values == Bdd.FALSE) return java.util.Optional.empty();
    List<BigInteger[]> runs = new ArrayList<>();
    if (!runs(b, f, values, BigInteger.ZERO, 0, runs, 64)) return java.util.Optional.empty();
    BigInteger top = BigInteger.ONE.shiftLeft(f.bits()).subtract(BigInteger.ONE);
    if (runs.get(0)[0].signum() == 0 && runs.get(runs.size() - 1)[1].equals(top)) return java.util.Optional.empty();
    List<String> in = numberRanges(runs, 4);
    if (in.isEmpty()) return java.util.Optional.of("some " + many);
    return java.util.Optional.of((in.size() == 1 && !in.get(0).contains("-") ? one : many) + " " + join(in));
  }

  private static List<String> numberRanges(List<BigInteger[]> runs, int max) {
    if (runs.size() > max) return List.of();
    List<String> out = new ArrayList<>();
    for (BigInteger[] r : runs) out.add(r[0].equals(r[1]) ? r[0].toString() : r[0] + "-" + r[1]);
    return out;
  }

  /** The set (of one field's values) as at most {@code max} prefixes, or an empty list when it needs more. */
  static List<String> prefixes(Bdd b, BitField f, int set, Family fam, int max) {
    List<String> out = new ArrayList<>();
    if (set == Bdd.FALSE || !cover(b, f, set, BigInteger.ZERO, 0, fam, max, out)) return List.of();
    return out;
  }

  private static boolean cover(Bdd b, BitField f, int set, BigInteger value, int len, Family fam, int max, List<String> out) {
    int here = f.prefix(value, len);
    int piece = b.and(set, here);
    if (piece == Bdd.FALSE) return true;
    if (b.subset(here, set)) {
      if (out.size() >= max) return false;
      out.add(IpText.format(fam, value) + (len == fam.bits() ? "" : "/" + len));
      return true;
    }
    if (len == fam.bits()) return true;
    BigInteger one = value.setBit(fam.bits() - 1 - len);
    return cover(b, f, set, value, len + 1, fam, max, out) && cover(b, f, set, one, len + 1, fam, max, out);
  }

  /** The output interfaces: familiar names, and "any other interface" for the class no rule names. */
  static String interfaces(RulesetAnalysis a, int set) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    int o = s.oif.project(set);
    InterfaceUniverse u = s.interfaces();
    List<String> names = new ArrayList<>();
    int routable = a.routableClasses().size();
    int count = 0;
    for (int cls : a.routableClasses()) {
      if (b.and(o, s.oif.eq(cls)) == Bdd.FALSE) continue;
      count++;
      names.add(u.representative(cls));
    }
    if (count == routable) return "any interface but the tunnel";
    return join(names);
  }

  static String join(List<String> names) {
    if (names.isEmpty()) return "nothing";
    if (names.size() == 1) return names.get(0);
    return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.get(names.size() - 1);
  }
}
