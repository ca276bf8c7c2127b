package org.ksaudit.check;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.ksaudit.analysis.Condition;
import org.ksaudit.analysis.Dir;
import org.ksaudit.analysis.Mentions;
import org.ksaudit.analysis.RuleDecoder;
import org.ksaudit.analysis.TargetAction;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.PortRange;

/**
 * Which interfaces are the tunnel. Given names ({@code --tunnel}) win; otherwise the usual VPN
 * device names (tun*, tap*, wg*) and every name the rules treat as the tunnel: a name that
 * gets an unconditional ACCEPT ({@code -o NAME -j ACCEPT}) or that everything else is refused
 * for ({@code ! -o NAME ... -j REJECT}), unless it looks like a physical interface or an uplink.
 *
 * <p>Never the tunnel, whatever the source: a name the rules send the VPN's own traffic
 * through (an ACCEPT of a VPN port or a {@code --endpoint} address out of it, on the rule or
 * on the jumps that lead to it): that interface carries the tunnel, so it is the uplink.
 * Not by default: router and modem uplinks ({@code pppoe-*}, {@code wan*}, {@code lte*},
 * {@code wwan*}, {@code rmnet*}, {@code 3g-*}) and {@code ppp*}, which PPP VPNs (pptp, l2tp,
 * sstp) use but so do PPPoE DSL and 3G uplinks; a PPP VPN's {@code ppp0} is still found
 * when the rules treat it as the tunnel, and {@code --tunnel ppp0} states it.
 */
public final class TunnelDetector {
  private TunnelDetector() {}

  static final List<InterfaceName> USUAL = List.of(new InterfaceName("tun+"), new InterfaceName("tap+"), new InterfaceName("wg+"));
  private static final Pattern PHYSICAL = Pattern.compile(
      "(eth|en|em|wl|ww|br|bond|team|docker|veth|virbr|vlan|usb|dummy|ib|lo|p\\d|sl|macvlan|vnet).*");
  private static final Pattern UPLINK = Pattern.compile("(pppoe-|wan|lte|wwan|rmnet|3g-).*");
  private static final Pattern PPP = Pattern.compile("ppp(?!oe-).*");

  /** Normalises a user's name: a trailing {@code *} means the same as iptables' {@code +}. */
  public static InterfaceName pattern(String name) {
    String n = name.strip();
    if (n.endsWith("*")) n = n.substring(0, n.length() - 1) + "+";
    return new InterfaceName(n);
  }

  public static TunnelChoice choose(List<String> given, List<Endpoint> endpoints, List<Ruleset> rulesets) {
    Map<InterfaceName, SourcePos> uplinks = new LinkedHashMap<>();
    for (Ruleset rs : rulesets) uplinks(rs, endpoints).forEach(uplinks::putIfAbsent);
    List<TunnelChoice.Taken> taken = new ArrayList<>();
    List<TunnelChoice.Refused> refused = new ArrayList<>();
    if (!given.isEmpty()) {
      for (String g : given) taken.add(new TunnelChoice.Taken(pattern(g), TunnelChoice.Source.FLAG, Optional.empty()));
    } else {
      for (InterfaceName u : USUAL) taken.add(new TunnelChoice.Taken(u, TunnelChoice.Source.DEFAULT, Optional.empty()));
      for (Ruleset rs : rulesets) {
        treatedAsTunnel(rs).forEach((name, at) -> {
          if (taken.stream().noneMatch(t -> covers(t.name(), name)) && !uplinks.containsKey(name)) {
            taken.add(new TunnelChoice.Taken(name, TunnelChoice.Source.RULES, Optional.of(at)));
          }
        });
      }
    }
    uplinks.forEach((name, at) ->
        refused.add(new TunnelChoice.Refused(name, "the rules reach the VPN server through it, so it carries the tunnel", Optional.of(at))));
    if (given.isEmpty()) {
      for (Ruleset rs : rulesets) {
        for (InterfaceName n : Mentions.of(rs).interfaces()) {
          String lower = n.stem().toLowerCase(Locale.ROOT);
          if (!PPP.matcher(lower).matches() || taken.stream().anyMatch(t -> covers(t.name(), n))
              || refused.stream().anyMatch(r -> r.name().equals(n))) continue;
          refused.add(new TunnelChoice.Refused(n, "ppp names are PPPoE and 3G uplinks as often as PPP VPNs, so none is assumed"
              + " to be the tunnel; give --tunnel " + TunnelChoice.shown(n) + " if it is the VPN", Optional.empty()));
        }
      }
    }
    return new TunnelChoice(taken, refused);
  }

  /** Whether every name {@code inner} matches is matched by {@code outer}. */
  private static boolean covers(InterfaceName outer, InterfaceName inner) {
    if (!outer.wildcard()) return !inner.wildcard() && outer.name().equals(inner.name());
    return inner.stem().startsWith(outer.stem());
  }

  /** Names the rules treat as the tunnel, each with the first rule that shows it. */
  static Map<InterfaceName, SourcePos> treatedAsTunnel(Ruleset rs) {
    Map<InterfaceName, SourcePos> out = new LinkedHashMap<>();
    for (Table t : rs.tables()) {
      if (!t.name().equals("filter")) continue;
      RuleDecoder dec = decoder(rs, t);
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
          if (oif == null || looksPhysical(oif.stem()) || isUplinkName(oif.stem())) continue;
          boolean accepts = d.action() instanceof TargetAction.Terminal term && term.verdict() == Verdict.ACCEPT;
          boolean refusesOthers = d.action() instanceof TargetAction.Terminal term2 && term2.verdict() != Verdict.ACCEPT;
          if (!negated && accepts && onlyInterface || negated && refusesOthers) out.putIfAbsent(oif, r.pos());
        }
      }
    }
    return out;
  }

  /**
   * Names the rules send the VPN's own traffic through, each with the rule that accepts it:
   * a filter rule reached from OUTPUT that accepts a VPN port (or an endpoint given with
   * {@code --endpoint}) out of an interface named on it or on the jumps that lead to it.
   */
  static Map<InterfaceName, SourcePos> uplinks(Ruleset rs, List<Endpoint> endpoints) {
    Map<InterfaceName, SourcePos> out = new LinkedHashMap<>();
    Optional<Table> filter = rs.table("filter");
    Optional<Chain> output = filter.flatMap(t -> t.chain("OUTPUT"));
    if (output.isEmpty()) return out;
    Table t = filter.get();
    RuleDecoder dec = decoder(rs, t);
    // (chain, interface the jumps leading there require); a worklist: the legacy backend loads chains nested thousands deep
    record Visit(Chain chain, Optional<InterfaceName> oif) {}
    Deque<Visit> work = new ArrayDeque<>(List.of(new Visit(output.get(), Optional.empty())));
    Set<Visit> seen = new HashSet<>();
    while (!work.isEmpty()) {
      Visit v = work.pop();
      if (!seen.add(v)) continue;
      for (Rule r : v.chain().rules()) {
        RuleDecoder.Decoded d = dec.decode(r);
        Optional<InterfaceName> oif = v.oif();
        for (Condition c : d.conditions()) {
          if (c instanceof Condition.IfaceIs i && i.dir() == Dir.DST && !i.negated()) oif = Optional.of(i.name());
        }
        if (d.action() instanceof TargetAction.Jump j) {
          Optional<InterfaceName> o = oif;
          t.chain(j.chain()).ifPresent(next -> work.push(new Visit(next, o)));
        } else if (oif.isPresent() && d.action() instanceof TargetAction.Terminal term && term.verdict() == Verdict.ACCEPT
            && vpnTraffic(d, rs, endpoints)) {
          out.putIfAbsent(oif.get(), r.pos());
        }
      }
    }
    return out;
  }

  /** Whether a rule names the VPN's own traffic: one VPN port of the usual protocols, or a given endpoint's address. */
  private static boolean vpnTraffic(RuleDecoder.Decoded d, Ruleset rs, List<Endpoint> endpoints) {
    for (Condition c : d.conditions()) {
      if (c instanceof Condition.PortIn p && p.dir() == Dir.DST && !p.negated()) {
        for (PortRange range : p.ranges()) {
          if (range.from() != range.to()) continue;
          if (VpnEndpointCheck.VPN_SERVICES.stream().anyMatch(s -> s.port() == range.from() && protoAllows(d, s.proto()))) return true;
        }
      }
      if (c instanceof Condition.AddrIn a && a.dir() == Dir.DST && !a.negated()) {
        for (Cidr cidr : a.cidrs()) {
          if (cidr.prefix() == 0) continue;
          if (endpoints.stream().anyMatch(e -> e.family() == rs.family() && cidr.contains(e.address()))) return true;
        }
      }
    }
    return false;
  }

  private static boolean protoAllows(RuleDecoder.Decoded d, int proto) {
    return d.conditions().stream().noneMatch(c -> c instanceof Condition.ProtoIs p && (p.proto() == proto) == p.negated());
  }

  private static RuleDecoder decoder(Ruleset rs, Table t) {
    Set<String> names = new HashSet<>();
    for (Chain c : t.chains()) names.add(c.name());
    return new RuleDecoder(rs.family(), t.name(), names);
  }

  static boolean looksPhysical(String name) {
    return name.isEmpty() || PHYSICAL.matcher(name.toLowerCase(Locale.ROOT)).matches();
  }

  /** Router and modem uplinks (OpenWrt's pppoe-wan and wan, LTE and 3G modems): never the tunnel by default. */
  static boolean isUplinkName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return UPLINK.matcher(lower).matches();
  }
}
