package org.ksaudit.lab;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.check.Endpoint;
import org.ksaudit.check.Witness;
import org.ksaudit.model.Family;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.value.AddressList;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.InterfaceName;
import org.ksaudit.model.value.IpText;
import org.ksaudit.model.value.PortList;
import org.ksaudit.model.value.Text;

/**
 * Chooses the lab's addresses: what the user declared first, then what the rules' own
 * allowances reveal (the VPN server rule, a single resolver address, a private LAN range,
 * the tunnel interface's name), then documentation ranges.
 */
public final class LabPlanner {
  private LabPlanner() {}

  /** What the user told the prober. */
  public record Declared(
      TunnelKind kind, Optional<Endpoint> endpoint, List<Cidr> allowLan, Optional<String> vpnDns, Optional<String> tunnel) {
    public Declared {
      allowLan = List.copyOf(allowLan);
    }
  }

  private static final Cidr DEFAULT_LAN4 = cidr(Family.IPV4, "192.0.2.0", 24);
  private static final Cidr DEFAULT_LAN6 = cidr(Family.IPV6, "2001:db8:1::", 64);
  private static final String DEFAULT_SERVER = "203.0.113.10";
  private static final List<Cidr> PRIVATE = List.of(
      cidr(Family.IPV4, "10.0.0.0", 8), cidr(Family.IPV4, "172.16.0.0", 12), cidr(Family.IPV4, "192.168.0.0", 16),
      cidr(Family.IPV4, "192.0.2.0", 24), cidr(Family.IPV4, "198.51.100.0", 24), cidr(Family.IPV4, "203.0.113.0", 24),
      cidr(Family.IPV6, "fc00::", 7), cidr(Family.IPV6, "2001:db8::", 32));
  /** Ports VPN services commonly use: OpenVPN, WireGuard, IPsec/IKE, L2TP, PPTP, OpenVPN over TLS. */
  private static final Set<Integer> VPN_PORTS = Set.of(1194, 1195, 1196, 1197, 1198, 1199, 51820, 500, 4500, 1701, 1723, 443);
  private static final List<String> TUNNEL_STEMS = List.of("tun", "tap", "wg", "ppp", "vpn", "proton", "nordlynx", "mullvad", "pia");

  public static LabPlan plan(List<Ruleset> rulesets, Declared d, List<Witness> witnesses) throws LabException {
    List<String> notes = new ArrayList<>();
    List<Rule> accepts = new ArrayList<>();
    for (Ruleset rs : rulesets) {
      rs.table("filter").ifPresent(t -> t.chains().forEach(c -> c.rules().stream()
          .filter(r -> r.target().map(x -> x.name().equals("ACCEPT")).orElse(false)).forEach(accepts::add)));
    }

    List<Rule> denies = new ArrayList<>();
    for (Ruleset rs : rulesets) {
      rs.table("filter").ifPresent(t -> t.chains().forEach(c -> c.rules().stream()
          .filter(r -> r.target().map(x -> x.name().equals("DROP") || x.name().equals("REJECT")).orElse(false)).forEach(denies::add)));
    }
    String tunnel = d.tunnel().orElseGet(() -> tunnelFromRules(accepts, denies, d.kind()).orElse(d.kind().defaultInterface()));
    notes.add("tunnel interface " + tunnel + (d.tunnel().isPresent() ? " (--tunnel)" : ""));

    String server = DEFAULT_SERVER;
    int port = d.kind().defaultPort();
    String proto = "udp";
    if (d.endpoint().isPresent()) {
      Endpoint e = d.endpoint().get();
      if (e.family() != Family.IPV4) throw new LabException("the lab's VPN server runs over IPv4; give an IPv4 --endpoint");
      server = e.addressText();
      port = e.port();
      proto = e.proto();
      notes.add("VPN server " + e + " (--endpoint)");
    } else {
      // the best candidate names one host, on a port VPNs use (this kind's own first)
      java.util.Comparator<Rule> best = java.util.Comparator
          .comparing((Rule r) -> vpnPort(r).get() == d.kind().defaultPort() ? 0 : VPN_PORTS.contains(vpnPort(r).get()) ? 1 : 2)
          .thenComparing(r -> singleHost(r, Family.IPV4).isPresent() ? 0 : 1);
      Optional<Rule> vpnRule = accepts.stream().filter(r -> vpnPort(r).isPresent() && !onTunnel(r, tunnel)).sorted(best).findFirst();
      if (vpnRule.isPresent()) {
        Rule r = vpnRule.get();
        port = vpnPort(r).get();
        proto = protocol(r).orElse("udp");
        Optional<String> host = singleHost(r, Family.IPV4);
        if (host.isPresent()) server = host.get();
        notes.add("VPN server " + server + ":" + port + "/" + proto + " (from " + r.pos() + (host.isPresent() ? ")" : "; address from documentation range)"));
      } else {
        notes.add("VPN server " + server + ":" + port + "/" + proto + " (default)");
      }
    }
    if (d.kind() == TunnelKind.WIREGUARD && proto.equals("tcp")) throw new LabException("WireGuard runs over UDP, not TCP");

    String finalServer = server;
    String vpnDns = d.vpnDns().map(LabAddress::canonical).orElseGet(() -> accepts.stream()
        .filter(r -> !onTunnel(r, tunnel) && vpnPort(r).isEmpty() && portIs53OrNone(r))
        .map(r -> singleHost(r, Family.IPV4)).flatMap(Optional::stream)
        .filter(a -> !a.equals(finalServer) && !a.startsWith("127."))
        .findFirst().orElse(LabPlan.TUNNEL_SERVER4));
    notes.add("VPN DNS " + vpnDns + (d.vpnDns().isPresent() ? " (--vpn-dns)" : vpnDns.equals(LabPlan.TUNNEL_SERVER4) ? " (default: the VPN server's tunnel address)" : " (from the rules)"));

    Cidr lan4 = lan(d.allowLan(), accepts, Family.IPV4, tunnel).orElse(DEFAULT_LAN4);
    Cidr lan6 = lan(d.allowLan(), accepts, Family.IPV6, tunnel).orElse(DEFAULT_LAN6);
    notes.add("LAN " + lan4 + " and " + lan6);

    Set<String> extra = new LinkedHashSet<>();
    for (Witness w : witnesses) {
      String oif = w.oif();
      if (oif.equals(LabPlan.PHYSICAL) || oif.equals("lo") || oif.equals(tunnel) || !oif.matches("[A-Za-z0-9_.-]{1,15}")) continue;
      extra.add(oif);
    }
    return new LabPlan(d.kind(), tunnel, server, port, proto, vpnDns, lan4, lan6, d.allowLan(), List.copyOf(extra), notes);
  }

  /**
   * The tunnel as the rules name it: an accepted output interface that looks like a tunnel, or
   * the one interface a deny rule exempts ({@code ! -o proton0 -j DROP}).
   */
  private static Optional<String> tunnelFromRules(List<Rule> accepts, List<Rule> denies, TunnelKind kind) {
    List<String> names = new ArrayList<>();
    for (Rule r : denies) core(r, "--out-interface").filter(Option::negated).ifPresent(o -> {
      InterfaceName n = (InterfaceName) o.value();
      if (!n.stem().equals("lo")) names.add(n.wildcard() ? n.stem() + "0" : n.name());
    });
    for (Rule r : accepts) core(r, "--out-interface").filter(o -> !o.negated()).ifPresent(o -> {
      InterfaceName n = (InterfaceName) o.value();
      if (TUNNEL_STEMS.stream().anyMatch(s -> n.stem().startsWith(s))) names.add(n.wildcard() ? n.stem() + "0" : n.name());
    });
    String preferred = kind == TunnelKind.WIREGUARD ? "wg" : "tun";
    return names.stream().filter(n -> n.startsWith(preferred)).findFirst().or(() -> names.stream().findFirst());
  }

  private static Optional<Cidr> lan(List<Cidr> declared, List<Rule> accepts, Family f, String tunnel) {
    Optional<Cidr> d = declared.stream().filter(c -> c.family() == f).findFirst();
    if (d.isPresent()) return d;
    int maxPrefix = f == Family.IPV4 ? 29 : 120;
    for (Rule r : accepts) {
      if (onTunnel(r, tunnel)) continue;
      Optional<Option> dst = core(r, "--destination").filter(o -> !o.negated());
      if (dst.isEmpty()) continue;
      for (Cidr c : ((AddressList) dst.get().value()).cidrs()) {
        if (c.family() != f || c.prefix() == 0 || c.prefix() > maxPrefix) continue;
        if (PRIVATE.stream().anyMatch(p -> p.family() == f && p.prefix() <= c.prefix() && p.contains(c.address()))) return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  private static Optional<Option> core(Rule r, String name) {
    return r.match(Match.CORE).flatMap(m -> m.option(name));
  }

  private static boolean onTunnel(Rule r, String tunnel) {
    return core(r, "--out-interface").filter(o -> !o.negated())
        .map(o -> ((InterfaceName) o.value()).matches(tunnel)).orElse(false);
  }

  private static Optional<String> protocol(Rule r) {
    return core(r, "--protocol").filter(o -> !o.negated()).map(o -> ((Text) o.value()).text());
  }

  /** The single destination port of a udp/tcp rule, other than DNS: the shape of a VPN allowance. */
  private static Optional<Integer> vpnPort(Rule r) {
    Optional<String> p = protocol(r);
    if (p.isEmpty() || !(p.get().equals("udp") || p.get().equals("tcp"))) return Optional.empty();
    return singlePort(r).filter(port -> port != 53 && port != 853);
  }

  private static Optional<Integer> singlePort(Rule r) {
    for (Match m : r.matches()) {
      Optional<Option> o = m.option("--dport").or(() -> m.option("--dports"));
      if (o.isPresent() && !o.get().negated() && o.get().value() instanceof PortList pl && pl.ranges().size() == 1
          && pl.ranges().get(0).from() == pl.ranges().get(0).to()) {
        return Optional.of(pl.ranges().get(0).from());
      }
    }
    return Optional.empty();
  }

  private static boolean portIs53OrNone(Rule r) {
    boolean anyPort = r.matches().stream().anyMatch(m -> m.option("--dport").isPresent() || m.option("--dports").isPresent());
    return !anyPort || singlePort(r).map(p -> p == 53).orElse(false);
  }

  private static Optional<String> singleHost(Rule r, Family f) {
    return core(r, "--destination").filter(o -> !o.negated()).map(o -> ((AddressList) o.value()).cidrs())
        .filter(cs -> cs.size() == 1 && cs.get(0).family() == f && cs.get(0).prefix() == f.bits())
        .map(cs -> LabAddress.canonical(IpText.format(f, cs.get(0).address())));
  }

  static Cidr cidr(Family f, String address, int prefix) {
    BigInteger a = IpText.parse(f, address).orElseThrow();
    return new Cidr(f, a, prefix);
  }
}
