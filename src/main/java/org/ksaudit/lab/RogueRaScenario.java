package org.ksaudit.lab;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/**
 * {@code ipv6-ra}: the VPN carries IPv4 only, as many providers' configurations do, on a LAN
 * without IPv6, until a rogue router advertisement gives the client an IPv6 default route
 * and a SLAAC address. Without rules of its own for IPv6 (or with IPv6 allowed on every
 * interface) IPv6 then leaves in clear beside the tunnel; {@code ip6tables ! -o tun0 -j DROP}
 * keeps it in. The client takes the advertisement as a new namespace does by default
 * ({@code accept_ra=1}, {@code autoconf=1}); a host that forwards IPv6 ignores it, as here.
 */
final class RogueRaScenario {
  private RogueRaScenario() {}

  /**
   * How long the kernel may take to install the advertised route (measured: 13 ms, in the
   * receiving softirq, which the machine's load hardly delays); a client whose rules drop the
   * advertisement waits it all.
   */
  private static final long ROUTE_WAIT_MILLIS = 500;
  private static final int ROUTER_LIFETIME = 1800;

  static ScenarioResult run(ScenarioDriver d) throws LabException {
    Lab lab = d.lab();
    LabPlan plan = lab.plan();
    if (!lab.clientIpv6()) {
      return new ScenarioResult(Scenario.IPV6_RA, false,
          List.of("not run: IPv6 is disabled in the client (sysctl), so a router advertisement gives it nothing"), List.of());
    }
    String prefix = prefix64(plan.router6());
    String dev = plan.uplink();
    // the LAN has no IPv6 of its own until the attack: the lab's static address and default route go
    Lab.batch(lab.client(), "route del ::/0 via " + plan.router6() + " dev " + dev + "\n"
        + "addr del " + plan.client6() + "/" + plan.lan6().prefix() + " dev " + dev + "\n"
        + "neigh replace " + RouterAdvert.ROUTER_LINK_LOCAL + " lladdr " + Lab.routerMac(0) + " dev " + dev + " nud permanent\n");
    Lab.batch(lab.router(), "addr add " + RouterAdvert.ROUTER_LINK_LOCAL + "/64 dev " + Lab.routerSide(0) + " nodad\n");
    try {
      Lab.sysctl(lab.client(), Map.of("net/ipv6/conf/" + dev + "/accept_ra", "1"));
      boolean up = d.vpnUp(Vpn.Carried.IPV4_ONLY);
      RouterAdvert.send(lab.router(), Lab.routerSide(0), prefix, 64, ROUTER_LIFETIME);
      Optional<String> route = awaitDefaultRoute(lab);
      Optional<String> address = slaacAddress(lab);
      // replies to the new address find the client without neighbour discovery, which the client's rules may drop
      if (address.isPresent()) {
        Lab.batch(lab.router(), "neigh replace " + address.get() + " lladdr " + Lab.clientMac(0) + " dev " + Lab.routerSide(0) + " nud permanent\n");
      }
      List<String> notes = new ArrayList<>();
      notes.add("the VPN carries IPv4 only; a rogue router advertisement from " + RouterAdvert.ROUTER_LINK_LOCAL + " on the LAN offered "
          + prefix + "/64 and a default route");
      notes.add("the client took " + route.map(r -> "the route '" + r + "'").orElse("no default route")
          + " and " + address.map(a -> "the address " + a).orElse("no address"));
      return d.measure(Scenario.IPV6_RA, up, notes, List.of());
    } finally {
      restore(lab, dev);
    }
  }

  private static Optional<String> awaitDefaultRoute(Lab lab) throws LabException {
    long end = System.nanoTime() + ROUTE_WAIT_MILLIS * 1_000_000;
    do {
      Exec.Result r = Exec.run(List.of("ip", "-n", lab.client().name(), "-6", "route", "show", "default"), null, 10_000);
      if (!r.ok()) throw new LabException("cannot read the client's IPv6 routes: " + r.firstLine());
      String out = r.stdout();
      Optional<String> ra = out.lines().map(String::strip).filter(l -> l.contains("proto ra")).findFirst();
      if (ra.isPresent()) return ra;
      LabProcess.sleep(20);
    } while (System.nanoTime() < end);
    return Optional.empty();
  }

  private static Optional<String> slaacAddress(Lab lab) throws LabException {
    String out = lab.client().execOrThrow("ip", "-6", "-o", "addr", "show", "dev", lab.plan().uplink(), "scope", "global").stdout();
    for (String line : out.split("\n")) {
      String[] f = line.strip().split("\\s+");
      for (int i = 0; i + 1 < f.length; i++) if (f[i].equals("inet6")) return Optional.of(f[i + 1].substring(0, f[i + 1].indexOf('/')));
    }
    return Optional.empty();
  }

  /** The /64 of the LAN the router advertises: where its own address lies. */
  static String prefix64(String routerAddress) {
    BigInteger a = IpText.parse(Family.IPV6, routerAddress).orElseThrow();
    return LabAddress.canonical(IpText.format(Family.IPV6, a.shiftRight(64).shiftLeft(64)));
  }

  /** Back to the lab's static IPv6: no advertised route or address, the router silent again. */
  private static void restore(Lab lab, String dev) throws LabException {
    LabPlan plan = lab.plan();
    Lab.sysctl(lab.client(), Map.of("net/ipv6/conf/" + dev + "/accept_ra", "0"));
    lab.client().execOrThrow("sh", "-c", "ip -6 route flush dev " + dev + " proto ra; ip -6 addr flush dev " + dev + " scope global; true");
    Lab.batch(lab.client(), "addr add " + plan.client6() + "/" + plan.lan6().prefix() + " dev " + dev + " nodad\n"
        + "route replace ::/0 via " + plan.router6() + " dev " + dev + " metric 1\n");
    lab.router().ipBatch("addr del " + RouterAdvert.ROUTER_LINK_LOCAL + "/64 dev " + Lab.routerSide(0) + "\n");
  }
}
