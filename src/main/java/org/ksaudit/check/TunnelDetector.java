package org.ksaudit.check;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.InterfaceName;

/**
 * Which interfaces are the tunnel. Given names win; otherwise the usual VPN device names
 * (tun*, tap*, wg*, ppp*) and every name the rules treat as the tunnel: a name that gets an
 * unconditional ACCEPT ({@code -o NAME -j ACCEPT}) or that everything else is refused for
 * ({@code ! -o NAME ... -j REJECT}), unless it looks like a physical interface.
 */
public final class TunnelDetector {
  private TunnelDetector() {}

  static final List<InterfaceName> USUAL = List.of(new InterfaceName("tun+"), new InterfaceName("tap+"),
      new InterfaceName("wg+"), new InterfaceName("ppp+"));
  private static final Pattern PHYSICAL = Pattern.compile(
      "(eth|en|em|wl|ww|br|bond|team|docker|veth|virbr|vlan|usb|dummy|ib|lo|p\\d|sl|macvlan|vnet).*");

  /** Normalises a user's name: a trailing {@code *} means the same as iptables' {@code +}. */
  public static InterfaceName pattern(String name) {
    String n = name.strip();
    if (n.endsWith("*")) n = n.substring(0, n.length() - 1) + "+";
    return new InterfaceName(n);
  }

  public static List<InterfaceName> tunnels(List<String> given, List<Ruleset> rulesets) {
    if (!given.isEmpty()) return given.stream().map(TunnelDetector::pattern).toList();
    Set<InterfaceName> out = new LinkedHashSet<>(USUAL);
    for (Ruleset rs : rulesets) out.addAll(treatedAsTunnel(rs));
    return new ArrayList<>(out);
  }

  static Set<InterfaceName> treatedAsTunnel(Ruleset rs) {
    Set<InterfaceName> out = new LinkedHashSet<>();
    for (Table t : rs.tables()) {
      if (!t.name().equals("filter")) continue;
      Set<String> names = new LinkedHashSet<>();
      for (Chain c : t.chains()) names.add(c.name());
      RuleDecoder dec = new RuleDecoder(rs.family(), t.name(), names);
      for (Chain c : t.chains()) {
        for (Rule r : c.rules()) {
          RuleDecoder.Decoded d = dec.decode(r);
          InterfaceName oif = null;
          boolean negated = false;
          boolean onlyInterface = true;
          for (Condition cond : d.conditions()) {
            if (cond instanceof Condition.IfaceIs i && i.dir() == Dir.DST) {
              oif = i.name();
              negated = i.negated();
            } else if (!(cond instanceof Condition.StateIn)) {
              onlyInterface = false;
            }
          }
          if (oif == null || looksPhysical(oif.stem())) continue;
          boolean accepts = d.action() instanceof TargetAction.Terminal term && term.verdict() == Verdict.ACCEPT;
          boolean refusesOthers = d.action() instanceof TargetAction.Terminal term2 && term2.verdict() != Verdict.ACCEPT;
          if (!negated && accepts && onlyInterface) out.add(oif);
          if (negated && refusesOthers) out.add(oif);
        }
      }
    }
    return out;
  }

  static boolean looksPhysical(String name) {
    return name.isEmpty() || PHYSICAL.matcher(name.toLowerCase(Locale.ROOT)).matches();
  }
}
