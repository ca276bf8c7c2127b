package org.ksaudit.lab;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.check.Witness;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;

/**
 * Decides whether the lab puts a LAN host behind the client, and how: when the static audit
 * found forwarded packets leaking (forward-leak witnesses, which name the interface they come
 * in on) or the FORWARD chain names a LAN interface, the rules forward for a LAN, and the lab
 * measures that traffic too, leaking or held. The uplink and
 * the LAN's addresses follow the rules' nat table ({@code -o pppoe-wan -j MASQUERADE},
 * {@code -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE}).
 */
public final class ForwardingPlanner {
  private ForwardingPlanner() {}

  /** The LAN when the rules name none: a benchmarking range, like the lab's other extra links. */
  private static final String DEFAULT_LAN = "198.18.200.0";
  private static final int DEFAULT_PREFIX = 24;

  /**
   * The LAN host's plan, or empty when the rules forward for no LAN: no forward-leak witness
   * comes in on a LAN interface and no FORWARD rule names one. {@code forwardWitnesses} are the
   * forward-leak findings' witnesses.
   */
  public static Optional<ForwardingPlan> plan(List<Ruleset> rulesets, List<Witness> forwardWitnesses, LabPlan lab) {
    Map<String, Integer> lanSides = new LinkedHashMap<>();
    for (Witness w : forwardWitnesses) {
      if (w.family() == Family.IPV4 && !w.iif().isEmpty() && !w.iif().equals(lab.tunnelInterface()) && !w.iif().equals("lo")
          && !lab.physicalInterfaces().contains(w.iif())) {
        lanSides.merge(w.iif(), 1, Integer::sum);
      }
    }
    List<String> notes = new ArrayList<>();
    String lan;
    if (!lanSides.isEmpty()) {
      lan = lanSides.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
      notes.add("LAN host behind " + lan + " (the interface the forward-leak witnesses come in on)");
    } else {
      // nothing forwarded leaks in the audit: the rules' own FORWARD chain says which LAN they forward for
      Optional<Rule> from = forwardRuleFromLan(rulesets, lab);
      if (from.isEmpty()) return Optional.empty();
      lan = inInterface(from.get()).orElseThrow();
      notes.add("LAN host behind " + lan + " (the rules forward from it at " + from.get().pos() + ")");
    }

    Optional<Masquerade> nat = masquerade(rulesets, lab.tunnelInterface(), lan);
    String uplink = LabPlan.PHYSICAL;
    if (nat.isPresent() && nat.get().out().isPresent()) {
      String out = nat.get().out().get();
      if (lab.physicalInterfaces().contains(out)) {
        uplink = out;
        notes.add("default route through " + out + " (the rules masquerade to it at " + nat.get().pos() + ")");
      } else {
        notes.add("default route through " + uplink + ": the rules masquerade to " + out + " (" + nat.get().pos()
            + "), which no leak goes out of");
      }
    } else {
      notes.add("default route through " + uplink + " (default)");
    }

    BigInteger base = IpText.parse(Family.IPV4, DEFAULT_LAN).orElseThrow();
    int prefix = DEFAULT_PREFIX;
    Optional<Cidr> source = nat.flatMap(Masquerade::source)
        .filter(c -> c.prefix() >= 8 && c.prefix() <= 30 && !overlaps(c, lab.lan4()));
    if (source.isPresent()) {
      base = source.get().address();
      prefix = source.get().prefix();
      notes.add("LAN " + source.get() + " (the source the rules masquerade, " + nat.get().pos() + ")");
    } else {
      notes.add("LAN " + DEFAULT_LAN + "/" + DEFAULT_PREFIX + " (default)");
    }
    String gateway = IpText.format(Family.IPV4, base.add(BigInteger.ONE));
    String host = IpText.format(Family.IPV4, base.add(BigInteger.TWO));
    return Optional.of(new ForwardingPlan(lan, uplink, gateway, host, prefix, notes));
  }

  /** A masquerading (or SNAT) rule of the nat table: the output interface it applies to and the source it rewrites. */
  private record Masquerade(Optional<String> out, Optional<Cidr> source, String pos) {}

  /**
   * The first MASQUERADE or SNAT rule reached from POSTROUTING (directly or through one jump,
   * as OpenWrt's {@code -o pppoe-wan -j zone_wan_postrouting}) for an uplink that is neither
   * the tunnel nor the LAN side.
   */
  private static Optional<Masquerade> masquerade(List<Ruleset> rulesets, String tunnel, String lan) {
    for (Ruleset rs : rulesets) {
      if (rs.family() != Family.IPV4) continue;
      Optional<Table> nat = rs.table("nat");
      Optional<Chain> post = nat.flatMap(t -> t.chain("POSTROUTING"));
      if (post.isEmpty()) continue;
      for (Rule r : post.get().rules()) {
        Optional<String> out = outInterface(r);
        if (out.isPresent() && (out.get().equals(tunnel) || out.get().equals(lan))) continue;
        String target = r.target().map(t -> t.name()).orElse("");
        if (target.equals("MASQUERADE") || target.equals("SNAT")) return Optional.of(new Masquerade(out, source(r), r.pos().toString()));
        Optional<Chain> next = nat.get().chain(target);
        if (next.isEmpty()) continue;
        for (Rule inner : next.get().rules()) {
          String t = inner.target().map(x -> x.name()).orElse("");
          if (t.equals("MASQUERADE") || t.equals("SNAT")) {
            return Optional.of(new Masquerade(outInterface(inner).or(() -> out), source(inner).or(() -> source(r)), inner.pos().toString()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The first rule of an IPv4 filter FORWARD chain that names an input interface of a LAN (not loopback, the tunnel or an uplink). */
  private static Optional<Rule> forwardRuleFromLan(List<Ruleset> rulesets, LabPlan lab) {
    for (Ruleset rs : rulesets) {
      if (rs.family() != Family.IPV4) continue;
      Optional<Chain> forward = rs.table("filter").flatMap(t -> t.chain("FORWARD"));
      if (forward.isEmpty()) continue;
      for (Rule r : forward.get().rules()) {
        Optional<String> in = inInterface(r);
        if (in.isPresent() && !in.get().equals("lo") && !in.get().equals(lab.tunnelInterface()) && !lab.physicalInterfaces().contains(in.get())) {
          return Optional.of(r);
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> inInterface(Rule r) {
    return core(r, "--in-interface").filter(o -> !o.negated()).map(o -> (InterfaceName) o.value())
        .filter(n -> !n.wildcard()).map(InterfaceName::name);
  }

  private static Optional<String> outInterface(Rule r) {
    return core(r, "--out-interface").filter(o -> !o.negated()).map(o -> (InterfaceName) o.value())
        .filter(n -> !n.wildcard()).map(InterfaceName::name);
  }

  private static Optional<Cidr> source(Rule r) {
    return core(r, "--source").filter(o -> !o.negated()).map(o -> ((AddressList) o.value()).cidrs())
        .filter(cs -> cs.size() == 1 && cs.get(0).family() == Family.IPV4).map(cs -> cs.get(0));
  }

  private static Optional<Option> core(Rule r, String name) {
    return r.match(Match.CORE).flatMap(m -> m.option(name));
  }

  private static boolean overlaps(Cidr a, Cidr b) {
    int p = Math.min(a.prefix(), b.prefix());
    return a.family() == b.family() && a.address().shiftRight(32 - p).equals(b.address().shiftRight(32 - p));
  }
}
