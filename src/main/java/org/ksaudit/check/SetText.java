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

  /** "any destination", "10.45.16.1", "192.168.1.0/24", or "addresses from A to B". */
  static String destinations(RulesetAnalysis a, int set) {
    PacketSpace s = a.space();
    Bdd b = s.bdd();
    BitField f = s.origDst;
    int d = f.project(set);
    int all = a.anyDestination();
    if (b.subset(all, d)) return "any destination";
    Family fam0 = s.family();
    List<String> missing = prefixes(b, f, b.diff(all, d), fam0, 4);
    if (!missing.isEmpty()) return "any destination except " + join(missing);
    BigInteger lo = f.min(d);
    BigInteger hi = f.max(d);
    Family fam = s.family();
    if (lo.equals(hi)) return IpText.format(fam, lo);
    int prefix = commonPrefix(lo, hi, fam.bits());
    BigInteger size = hi.subtract(lo).add(BigInteger.ONE);
    boolean whole = size.equals(BigInteger.ONE.shiftLeft(fam.bits() - prefix)) && b.subset(f.range(lo, hi), d);
    if (whole) return IpText.format(fam, lo) + "/" + prefix;
    if (b.subset(f.range(lo, hi), d)) return IpText.format(fam, lo) + "-" + IpText.format(fam, hi);
    return "some addresses between " + IpText.format(fam, lo) + " and " + IpText.format(fam, hi);
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

  private static int commonPrefix(BigInteger lo, BigInteger hi, int bits) {
    int p = 0;
    while (p < bits && lo.testBit(bits - 1 - p) == hi.testBit(bits - 1 - p)) p++;
    return p;
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
