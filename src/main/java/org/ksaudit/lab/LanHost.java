package org.ksaudit.lab;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host on the LAN behind a forwarding client: a namespace of its own, linked only to the
 * client's LAN interface, with its default route through the client. Its packets cross the
 * client's FORWARD chain and nat POSTROUTING as a LAN machine's, a container's or a VM's do.
 * The client forwards IPv4 ({@code ip_forward=1}, as the rules' host does), and its default
 * route leads out of the plan's uplink.
 */
final class LanHost implements AutoCloseable {
  // fixed MACs and static neighbours, as everywhere in the lab: the probe is the first packet on the wire
  private static final String GATEWAY_MAC = "02:6b:73:40:00:00";
  private static final String HOST_MAC = "02:6b:73:41:00:00";
  /** The LAN host's own interface. */
  static final String DEVICE = "eth0";

  private final Netns ns;
  private final ForwardingPlan plan;

  private LanHost(Netns ns, ForwardingPlan plan) {
    this.ns = ns;
    this.plan = plan;
  }

  /** Builds the LAN host and links it to the client; call before the VPN starts, which reads the default route. */
  static LanHost attach(Lab lab, ForwardingPlan plan) throws LabException {
    Netns ns = Netns.create("lanhost");
    try {
      // the LAN host sends IPv4 only: no IPv6 chatter on the link
      Lab.sysctl(ns, Map.of("net/ipv6/conf/all/disable_ipv6", "1", "net/ipv6/conf/default/disable_ipv6", "1"));
      String len = "/" + plan.prefix();
      Lab.batch(lab.client(), "link add " + plan.lanInterface() + " address " + GATEWAY_MAC + " type veth peer name " + DEVICE
          + " address " + HOST_MAC + " netns " + ns.name() + "\n"
          + "link set " + plan.lanInterface() + " up\n"
          + "addr add " + plan.gateway() + len + " dev " + plan.lanInterface() + "\n"
          + "neigh replace " + plan.host() + " lladdr " + HOST_MAC + " dev " + plan.lanInterface() + " nud permanent\n"
          // as for every interface of the client: a packet bound to the LAN interface has a way out of it
          + "route add default via " + plan.host() + " dev " + plan.lanInterface() + " metric 200\n");
      Lab.batch(ns, "link set " + DEVICE + " up\n"
          + "addr add " + plan.host() + len + " dev " + DEVICE + "\n"
          + "neigh replace " + plan.gateway() + " lladdr " + GATEWAY_MAC + " dev " + DEVICE + " nud permanent\n"
          + "route add default via " + plan.gateway() + "\n");
      Lab.sysctl(lab.client(), Map.of("net/ipv4/ip_forward", "1"));
      if (!plan.uplink().equals(lab.plan().uplink())) routeThroughUplink(lab, plan.uplink());
      return new LanHost(ns, plan);
    } catch (LabException | RuntimeException e) {
      ns.close();
      throw e;
    }
  }

  /** The client's default route (metric 0) through the forwarding plan's uplink instead of the lab's, via the uplink's own gateway. */
  private static void routeThroughUplink(Lab lab, String uplink) throws LabException {
    String out = lab.client().execOrThrow("ip", "-4", "route", "show", "default", "dev", uplink).stdout();
    Optional<String> via = out.lines().map(l -> l.strip().split("\\s+")).filter(f -> f.length > 2 && f[1].equals("via")).map(f -> f[2]).findFirst();
    if (via.isEmpty()) throw new LabException("the lab has no gateway on " + uplink + " for the LAN's default route");
    Lab.batch(lab.client(), "route replace default via " + via.get() + " dev " + uplink + " metric 0\n");
  }

  /** The interface the client routes the LAN host's packets to each destination out of, if any. */
  Map<String, Optional<String>> routes(Lab lab, java.util.Collection<String> destinations) {
    return RouteLookup.devices(lab.client(), destinations, "from " + plan.host() + " iif " + plan.lanInterface());
  }

  Netns namespace() {
    return ns;
  }

  ForwardingPlan plan() {
    return plan;
  }

  /** Sends the packets from the LAN host, each out of its only interface. */
  Map<String, String> send(List<RawSender.Packet> packets) throws LabException {
    return RawSender.send(ns, packets);
  }

  @Override
  public void close() {
    ns.close();
  }
}
