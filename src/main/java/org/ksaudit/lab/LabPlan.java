package org.ksaudit.lab;

import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * The addresses of one lab. The ruleset's own addresses are adopted where the rules depend on
 * them (VPN server, VPN DNS, LAN); everything else comes from documentation ranges.
 * {@code notes} say where each adopted value came from.
 *
 * @param kind the VPN that runs
 * @param tunnelInterface the client's tunnel device, named as the rules name it
 * @param uplink the client's interface on the LAN, named as the rules name it (eth0 by default)
 * @param clientUid the uid the VPN client runs as, when the rules allow its packets for one
 * @param clientGid the gid the VPN client runs as, likewise
 * @param clientMark the mark the VPN client puts on its packets, when the rules let them out by it
 * @param stub the local stub resolver the rules send DNS through, which the lab runs
 * @param server the VPN server's IPv4 address; {@code port} and {@code proto} its service
 * @param vpnDns the resolver inside the tunnel
 * @param lan4 the client's IPv4 LAN
 * @param lan6 the client's IPv6 LAN
 * @param declaredLan LAN ranges the user declared with --allow-lan (in clear on purpose)
 * @param extraPhysical further non-tunnel interfaces of the client (witness packets name them)
 */
public record LabPlan(
    TunnelKind kind,
    String tunnelInterface,
    String uplink,
    String server,
    int port,
    String proto,
    String vpnDns,
    Cidr lan4,
    Cidr lan6,
    List<Cidr> declaredLan,
    List<String> extraPhysical,
    Optional<Long> clientUid,
    Optional<Long> clientGid,
    Optional<Long> clientMark,
    Optional<LocalStub> stub,
    List<String> notes) {

  /** The client's interface on the LAN when the rules name none. */
  public static final String PHYSICAL = "eth0";
  public static final String PUBLIC_DNS4 = "198.51.100.53";
  public static final String PUBLIC_DNS6 = "2001:db8:100::53";
  /** The ISP's resolver, where the router forwards queries to its own address. */
  public static final String ISP_DNS4 = "198.51.100.54";
  public static final String ISP_DNS6 = "2001:db8:100::54";
  public static final String WEB4 = "198.51.100.80";
  public static final String WEB6 = "2001:db8:100::80";
  /** A host that is not the VPN server, for "the VPN port to anyone" probes. */
  public static final String OTHER4 = "198.51.100.94";
  public static final String OTHER6 = "2001:db8:100::94";
  /** The VPN server's exit addresses: what a web page sees for tunnelled traffic. */
  public static final String EXIT6 = "2001:db8:fe0::10";
  static final String TUNNEL_SERVER4 = "198.51.100.225";
  static final String TUNNEL_CLIENT4 = "198.51.100.226";
  static final String TUNNEL_SERVER6 = "2001:db8:fe::1";
  static final String TUNNEL_CLIENT6 = "2001:db8:fe::2";
  static final String ROUTER_WAN4 = "203.0.113.249";
  static final String INTERNET4 = "203.0.113.250";
  static final String ROUTER_WAN6 = "2001:db8:ff::1";
  static final String INTERNET6 = "2001:db8:ff::2";

  public LabPlan {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(uplink, "uplink");
    Objects.requireNonNull(stub, "stub");
    declaredLan = List.copyOf(declaredLan);
    extraPhysical = List.copyOf(extraPhysical);
    notes = List.copyOf(notes);
  }

  /** The IPv4 address tunnelled traffic appears to come from. */
  public String exit4() {
    return server;
  }

  public String router4() {
    return host(lan4, 1);
  }

  public String client4() {
    return host(lan4, size(lan4) >= 256 ? 100 : 2);
  }

  public String router6() {
    return host(lan6, 1);
  }

  public String client6() {
    return host(lan6, 0x100);
  }

  /** A LAN neighbour that is not the router: target of the "traffic to the LAN" probes. */
  public String lanHost4() {
    return host(lan4, size(lan4) >= 256 ? 50 : 3);
  }

  public String lanHost6() {
    return host(lan6, 0x50);
  }

  /** An address inside the LAN range that really belongs to a remote host (TunnelCrack LocalNet). */
  public String localnetRemote4() {
    return host(lan4, size(lan4) >= 256 ? 200 : (int) size(lan4) - 2);
  }

  public String localnetRemote6() {
    return host(lan6, 0x200);
  }

  /** Every non-tunnel interface of the client, the uplink first. */
  public List<String> physicalInterfaces() {
    return java.util.stream.Stream.concat(java.util.stream.Stream.of(uplink), extraPhysical.stream()).toList();
  }

  public boolean declared(String address) {
    Family f = LabAddress.familyOf(address);
    BigInteger a = IpText.parse(f, address).orElseThrow();
    return declaredLan.stream().anyMatch(c -> c.family() == f && c.contains(a));
  }

  static boolean inside(Cidr c, String address) {
    Family f = LabAddress.familyOf(address);
    return c.family() == f && c.contains(IpText.parse(f, address).orElseThrow());
  }

  static long size(Cidr c) {
    int hostBits = c.family().bits() - c.prefix();
    return hostBits >= 62 ? Long.MAX_VALUE : 1L << hostBits;
  }

  static String host(Cidr c, long k) {
    return LabAddress.canonical(IpText.format(c.family(), c.address().add(BigInteger.valueOf(k))));
  }
}
