package org.ksaudit.check;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.PacketField;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.model.value.Cidr;

/** Witness preferences the checks share. */
final class Prefs {
  private Prefs() {}

  /** The addresses the deciding rule names as destinations: a host itself, or the first host of a range. */
  static List<BigInteger> ruleDestinations(LeakPart p) {
    List<BigInteger> out = new ArrayList<>();
    if (p.decider().rule().isEmpty()) return out;
    RuleDecoder.Decoded d = LeakScene.decode(p.analysis(), p.decider());
    int bits = p.analysis().ruleset().family().bits();
    for (Condition c : d.conditions()) {
      if (c instanceof Condition.AddrIn a && a.dir() == Dir.DST && !a.negated()) {
        for (Cidr cidr : a.cidrs()) out.add(cidr.prefix() >= bits - 1 ? cidr.first() : cidr.first().add(BigInteger.ONE));
      }
      if (c instanceof Condition.AddrRangeIn r && r.dir() == Dir.DST && !r.negated()) out.add(r.from());
    }
    return out;
  }

  /** Preference for each of the rule's destinations, in order. */
  static List<PacketSet> atRuleDestinations(LeakPart p) {
    List<PacketSet> out = new ArrayList<>();
    for (BigInteger a : ruleDestinations(p)) out.add(p.scope().where(PacketField.ORIG_DST, a));
    return out;
  }
}
