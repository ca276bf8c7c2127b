package org.ksaudit.live;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * The route the kernel picks for a packet the host sends, once the tunnel is gone: the policy
 * rules in priority order (their fwmark, uid, destination and interface selectors; {@code
 * suppress_prefixlength}, {@code goto}, drop actions), and in each table a rule looks up the
 * longest matching prefix, the lowest metric among equals. Routes through a tunnel device vanish
 * with it, so they are skipped: wg-quick's {@code table 51820} then holds nothing, and its
 * packets fall through to the main table's default route.
 */
final class Routing {
  private Routing() {}

  /** How a lookup ends. */
  enum Outcome {
    /** Out of {@code route}'s device. */
    LEAVES,
    /** To an address of the host or its link's broadcast: no packet leaves the host by a route. */
    LOCAL,
    /** A drop route or rule: the packet never leaves. */
    DROPPED,
    /** No rule finds a route: the send fails (network unreachable). */
    NO_ROUTE
  }

  /**
   * One way a lookup can end; {@code certain} is false when an earlier rule with selectors the
   * reader does not evaluate might have taken the packet elsewhere.
   */
  record Decision(Outcome outcome, Optional<HostRoute> route, Optional<PolicyRule> rule, boolean certain) {
    Optional<String> device() {
      return outcome == Outcome.LEAVES ? route.flatMap(HostRoute::device) : Optional.empty();
    }
  }

  /**
   * Every way the lookup of {@code dst} can end for a packet with the mark and owner, the first
   * the certain one when there is one. Without the host's policy rules the kernel's default rules apply.
   */
  static List<Decision> lookup(HostState host, Family f, BigInteger dst, long mark, long uid, Predicate<String> tunnel) {
    List<PolicyRule> rules = host.policyRules().stream().filter(r -> r.family() == f).toList();
    if (rules.isEmpty()) rules = PolicyRule.defaults(f);
    rules = rules.stream().sorted(Comparator.comparingInt(PolicyRule::priority)).toList();
    List<Decision> out = new ArrayList<>();
    walk(host, rules, 0, f, dst, mark, uid, tunnel, true, out);
    return out;
  }

  private static void walk(HostState host, List<PolicyRule> rules, int from, Family f, BigInteger dst, long mark, long uid,
      Predicate<String> tunnel, boolean certain, List<Decision> out) {
    for (int i = from; i < rules.size(); i++) {
      PolicyRule r = rules.get(i);
      Optional<Boolean> takes = r.takesLocal(dst, mark, uid);
      if (takes.isEmpty()) {
        // the rule may or may not take the packet: both ways are followed, neither is certain
        walk(host, rules, i + 1, f, dst, mark, uid, tunnel, false, out);
        certain = false;
      } else if (!takes.get()) {
        continue;
      }
      switch (r.action()) {
        case NOP -> {}
        case DROP -> {
          out.add(new Decision(Outcome.DROPPED, Optional.empty(), Optional.of(r), certain));
          return;
        }
        case GOTO -> {
          int target = indexOf(rules, r.gotoPriority());
          // a goto to a priority no rule has is unresolved: the kernel passes over it
          if (target > i) i = target - 1;
        }
        case LOOKUP -> {
          Optional<HostRoute> route = longestMatch(host, f, r.table(), dst, tunnel);
          if (route.isEmpty()) continue;
          HostRoute hit = route.get();
          if (r.suppressPrefixLength() != PolicyRule.NO_SUPPRESSION && hit.destination().prefix() <= r.suppressPrefixLength()) continue;
          switch (hit.kind()) {
            case THROW -> {
              continue;
            }
            case UNICAST -> out.add(new Decision(Outcome.LEAVES, route, Optional.of(r), certain));
            case LOCAL -> out.add(new Decision(Outcome.LOCAL, route, Optional.of(r), certain));
            case DROP -> out.add(new Decision(Outcome.DROPPED, route, Optional.of(r), certain));
          }
          return;
        }
      }
    }
    out.add(new Decision(Outcome.NO_ROUTE, Optional.empty(), Optional.empty(), certain));
  }

  /** Documentation addresses, tried first as the destination a default route takes. */
  private static final Map<Family, List<String>> DOCUMENTATION = Map.of(
      Family.IPV4, List.of("203.0.113.10", "198.51.100.10", "192.0.2.10"),
      Family.IPV6, List.of("2001:db8::10", "2001:db8:ffff::10"));
  /** Where a destination on the internet may lie: IPv4 but 0/8, 127/8 and 224/3; IPv6 global unicast. */
  private static final Map<Family, List<String>> INTERNET = Map.of(
      Family.IPV4, List.of("1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5", "16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/3",
          "96.0.0.0/4", "112.0.0.0/5", "120.0.0.0/6", "124.0.0.0/7", "126.0.0.0/8", "128.0.0.0/2", "192.0.0.0/3"),
      Family.IPV6, List.of("2000::/3"));

  /**
   * A destination on the internet that only a default route takes once the tunnel is gone (no
   * route of any table with a longer prefix holds it), for the host's default routes to be asked
   * about; empty without a default route. A documentation address when one is free, else the
   * first address after a route.
   */
  static Optional<BigInteger> onlyDefaultRoutesTake(HostState host, Family f, Predicate<String> tunnel) {
    List<HostRoute> routes = host.routes().stream().filter(r -> r.family() == f && !r.device().map(tunnel::test).orElse(false)).toList();
    if (routes.stream().noneMatch(HostRoute::isDefault)) return Optional.empty();
    List<BigInteger> candidates = new ArrayList<>();
    for (String d : DOCUMENTATION.get(f)) candidates.add(IpText.parse(f, d).orElseThrow());
    for (HostRoute r : routes) candidates.add(r.destination().last().add(BigInteger.ONE));
    List<Cidr> internet = INTERNET.get(f).stream().map(c -> c.split("/"))
        .map(c -> new Cidr(f, IpText.parse(f, c[0]).orElseThrow(), Integer.parseInt(c[1]))).toList();
    for (BigInteger c : candidates) {
      boolean routable = internet.stream().anyMatch(n -> n.contains(c));
      if (routable && routes.stream().noneMatch(r -> !r.isDefault() && r.destination().contains(c))) return Optional.of(c);
    }
    return Optional.empty();
  }

  private static int indexOf(List<PolicyRule> rules, int priority) {
    for (int i = 0; i < rules.size(); i++) if (rules.get(i).priority() == priority) return i;
    return -1;
  }

  /** The table's route for {@code dst}: the longest prefix, then the lowest metric; routes through a tunnel are gone. */
  static Optional<HostRoute> longestMatch(HostState host, Family f, String table, BigInteger dst, Predicate<String> tunnel) {
    HostRoute best = null;
    for (HostRoute r : host.routes()) {
      if (r.family() != f || !r.table().equals(table) || !r.destination().contains(dst)) continue;
      if (r.device().map(tunnel::test).orElse(false)) continue;
      if (best == null || r.destination().prefix() > best.destination().prefix()
          || r.destination().prefix() == best.destination().prefix() && r.metric() < best.metric()) best = r;
    }
    return Optional.ofNullable(best);
  }
}
