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
import org.ksaudit.setup.AllowedServer;
import org.ksaudit.setup.Origin;
import org.ksaudit.setup.Part;
import org.ksaudit.setup.RulesSetup;
import org.ksaudit.setup.Server;
import org.ksaudit.setup.SetupInference;
import org.ksaudit.setup.VpnConfig;
import org.ksaudit.setup.VpnKind;

/**
 * Chooses the lab's setup and addresses. Each part comes from the first source that tells it:
 * a flag, the VPN's config ({@code --vpn-config}), the rules ({@link SetupInference}), then a
 * default; the plan's notes say which, with the file and line.
 */
public final class LabPlanner {
  private LabPlanner() {}

  /** What the user told the prober. */
  public record Declared(
      Optional<TunnelKind> kind, Optional<Endpoint> endpoint, List<Cidr> allowLan, Optional<String> vpnDns, Optional<String> tunnel,
      Optional<VpnConfig> config) {
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

  /**
   * The VPN the lab runs: the flag, the config's kind, the rules' kind, else OpenVPN. Rules
   * written for IPsec are refused (the lab has no strongSwan, and another VPN would not be the
   * setup the rules were written for) unless the flag asks for a kind.
   */
  public static Part<TunnelKind> kind(RulesSetup rules, Declared d) throws LabException {
    if (d.kind().isPresent()) return new Part<>(d.kind().get(), Origin.flag("--tunnel-kind"));
    if (d.config().isPresent()) {
      VpnConfig c = d.config().get();
      return new Part<>(c.kind() == VpnKind.WIREGUARD ? TunnelKind.WIREGUARD : TunnelKind.OPENVPN, Origin.config(c.file(), 1));
    }
    Optional<Part<VpnKind>> k = rules.kind();
    if (k.isPresent() && k.get().value() == VpnKind.IPSEC) {
      throw new LabException("the rules are written for IPsec (" + k.get().origin().where() + "); the lab runs OpenVPN or WireGuard, "
          + "not strongSwan, and another VPN would not be the setup these rules guard: pass --tunnel-kind to probe them with one anyway");
    }
    return k.map(p -> new Part<>(p.value() == VpnKind.WIREGUARD ? TunnelKind.WIREGUARD : TunnelKind.OPENVPN, p.origin()))
        .orElse(new Part<>(TunnelKind.OPENVPN, Origin.byDefault("the rules do not tell; pass --tunnel-kind or --vpn-config")));
  }

  public static LabPlan plan(List<Ruleset> rulesets, Declared d, List<Witness> witnesses) throws LabException {
    RulesSetup rules = SetupInference.infer(rulesets);
    Part<TunnelKind> kind = kind(rules, d);
    TunnelKind k = kind.value();
    List<String> notes = new ArrayList<>();
    notes.add("VPN " + k.label() + " " + kind.origin());
    Optional<VpnConfig> config = d.config();
    config.ifPresent(c -> c.notes().forEach(n -> notes.add("config: " + n)));

    String preferred = k == TunnelKind.WIREGUARD ? "wg" : "tun";
    Part<String> tunnel = d.tunnel().map(t -> new Part<>(t, Origin.flag("--tunnel")))
        .or(() -> config.flatMap(VpnConfig::tunnel))
        .or(() -> rules.tunnels().stream().filter(t -> t.value().startsWith(preferred)).findFirst())
        .or(() -> rules.tunnels().stream().findFirst())
        .orElse(new Part<>(k.defaultInterface(), Origin.byDefault("")));
    notes.add("tunnel interface " + tunnel);

    Part<String> uplink = rules.uplink().filter(u -> !u.value().equals(tunnel.value()))
        .orElse(new Part<>(LabPlan.PHYSICAL, Origin.byDefault("")));
    notes.add("uplink " + uplink);

    Part<Server> server = server(rules, d, k, notes);
    Server s = server.value();
    if (k == TunnelKind.WIREGUARD && s.proto().equals("tcp")) throw new LabException("WireGuard runs over UDP, not TCP");
    notes.add("VPN server " + server);

    Part<String> vpnDns = d.vpnDns().map(a -> new Part<>(LabAddress.canonical(a), Origin.flag("--vpn-dns")))
        .or(() -> config.flatMap(c -> c.dns().stream().filter(x -> !x.value().contains(":")).findFirst()))
        .or(() -> rules.vpnDns().filter(x -> !x.value().equals(s.host())))
        .orElse(new Part<>(LabPlan.TUNNEL_SERVER4, Origin.byDefault("the VPN server's tunnel address")));
    notes.add("VPN DNS " + vpnDns);
    Optional<LocalStub> stub = rules.stub().map(x -> new LocalStub(x.value(), rules.resolverUid().map(Part::value),
        rules.resolverGid().map(Part::value)));
    rules.stub().ifPresent(x -> notes.add("the rules send DNS through a local stub resolver at " + x
        + rules.resolverUid().map(u -> ", out for uid " + u.value() + " " + u.origin()).orElse("")
        + rules.resolverGid().map(u -> ", out for gid " + u.value() + " " + u.origin()).orElse("")
        + "; the lab runs one there (dnsmasq" + StubResolver.identity(stub.get()) + ") forwarding to the VPN DNS "
        + vpnDns.value() + ", and its resolv.conf names it"));

    Optional<Part<Long>> mark = config.flatMap(VpnConfig::fwmark).or(rules::clientMark);
    mark.ifPresent(m -> notes.add("the VPN client marks its packets 0x" + Long.toHexString(m.value()) + " " + m.origin()));
    rules.clientUid().ifPresent(u -> notes.add("the VPN client runs as uid " + u));
    rules.clientGid().ifPresent(u -> notes.add("the VPN client runs as gid " + u));
    for (String open : rules.cannotTell()) notes.add("cannot tell from the rules: " + open);

    Cidr lan4 = lan(d.allowLan(), rulesets, Family.IPV4, tunnel.value()).orElse(DEFAULT_LAN4);
    Cidr lan6 = lan(d.allowLan(), rulesets, Family.IPV6, tunnel.value()).orElse(DEFAULT_LAN6);
    notes.add("LAN " + lan4 + " and " + lan6);

    Set<String> extra = new LinkedHashSet<>();
    for (Witness w : witnesses) {
      String oif = w.oif();
      if (oif.equals(uplink.value()) || oif.equals("lo") || oif.equals(tunnel.value()) || !oif.matches("[A-Za-z0-9_.-]{1,15}")) continue;
      extra.add(oif);
    }
    return new LabPlan(k, tunnel.value(), uplink.value(), s.host(), s.port(), s.proto(), vpnDns.value(), lan4, lan6, d.allowLan(),
        List.copyOf(extra), rules.clientUid().map(Part::value), rules.clientGid().map(Part::value), mark.map(Part::value), stub, notes);
  }

  /**
   * The server: --endpoint, else the config's first remote named by an address, else the rules'
   * server, else the default. Several candidates are named, with the one the lab runs.
   */
  private static Part<Server> server(RulesSetup rules, Declared d, TunnelKind k, List<String> notes) throws LabException {
    if (d.endpoint().isPresent()) {
      Endpoint e = d.endpoint().get();
      if (e.family() != Family.IPV4) throw new LabException("the lab's VPN server runs over IPv4; give an IPv4 --endpoint");
      return new Part<>(new Server(e.addressText(), e.port(), e.proto()), Origin.flag("--endpoint"));
    }
    if (d.config().isPresent()) {
      VpnConfig c = d.config().get();
      List<Part<Server>> v4 = c.numericRemotes().stream().filter(r -> !r.value().host().contains(":")).toList();
      for (Part<Server> r : c.remotes()) {
        if (!v4.contains(r)) {
          notes.add("config: " + r.value() + " " + r.origin() + " is not used: " + (r.value().numeric()
              ? "the lab's VPN runs over IPv4" : "ksaudit resolves no host names; pass --endpoint for it"));
        }
      }
      if (!v4.isEmpty()) {
        if (c.remotes().size() > 1) {
          notes.add("config: " + c.remotes().size() + " servers" + c.remoteRandom().map(o -> " tried at random (remote-random " + o + ")").orElse("")
              + "; the lab runs the first usable one");
        }
        Part<Server> first = v4.get(0);
        return LabAddress.familyOf(first.value().host()) == Family.IPV4 ? new Part<>(new Server(LabAddress.canonical(first.value().host()),
            first.value().port(), first.value().proto()), first.origin()) : first;
      }
    }
    List<AllowedServer> allowed = rules.servers();
    if (allowed.isEmpty()) return new Part<>(new Server(DEFAULT_SERVER, k.defaultPort(), "udp"), Origin.byDefault(""));
    AllowedServer a = allowed.get(0);
    long hosts = allowed.stream().map(AllowedServer::host).distinct().count();
    if (hosts > 1) {
      notes.add(hosts + " servers allowed (" + String.join(", ", allowed.stream().map(x -> x.host().orElse("any") + " " + x.origin()).toList())
          + "); the lab runs " + a.host().orElse(DEFAULT_SERVER));
    }
    int port = a.ports().isEmpty() ? k.defaultPort() : a.ports().get(0);
    if (a.ports().size() > 1) notes.add("ports " + a.ports() + " allowed " + a.origin() + "; the lab uses " + port);
    if (a.ports().isEmpty()) notes.add("the rules allow " + a.host().orElse("the server") + " on any port " + a.origin() + "; the lab uses " + k.label() + "'s " + port);
    a.range().ifPresent(r -> notes.add("the rules allow the range " + r + " " + a.origin() + "; the lab's server is its first host " + a.host().orElse("")));
    String host = a.host().orElse(DEFAULT_SERVER);
    return new Part<>(new Server(host, port, a.proto().orElse("udp")), a.origin());
  }

  private static Optional<Cidr> lan(List<Cidr> declared, List<Ruleset> rulesets, Family f, String tunnel) {
    Optional<Cidr> d = declared.stream().filter(c -> c.family() == f).findFirst();
    if (d.isPresent()) return d;
    List<Rule> accepts = new ArrayList<>();
    for (Ruleset rs : rulesets) {
      rs.table("filter").ifPresent(t -> t.chains().forEach(c -> c.rules().stream()
          .filter(r -> r.target().map(x -> x.name().equals("ACCEPT")).orElse(false)).forEach(accepts::add)));
    }
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






  static Cidr cidr(Family f, String address, int prefix) {
    BigInteger a = IpText.parse(f, address).orElseThrow();
    return new Cidr(f, a, prefix);
  }
}
