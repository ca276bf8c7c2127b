package org.ksaudit.lab;

/**
 * The situations the prober puts the VPN in, in the order it runs them: those that keep a
 * working tunnel follow one another, so that one VPN client serves them all.
 */
public enum Scenario {
  BASELINE("baseline", "tunnel up: the killswitch must not break the VPN"),
  TUNNEL_DOWN("tunnel-down", "VPN client stopped: it took down the tunnel device and its routes"),
  CRASH("crash", "VPN client killed with SIGKILL: the tunnel device and its routes vanish with it, a stale route may stay"),
  CRASH_PERSISTENT_TUN("crash-persistent-tun", "VPN client killed with SIGKILL on a tun device made beforehand (ip tuntap add):"
      + " the device stays without carrier and its routes stay, linkdown"),
  RECONNECT("reconnect", "VPN client stopped and started again; packets sent every 10 ms through the whole window"),
  LOCALNET("localnet", "tunnel up; addresses inside the LAN range are really remote hosts (TunnelCrack LocalNet)"),
  TUNNELVISION("tunnelvision", "tunnel up; a rogue DHCP server pushes routes longer than the VPN's (option 121, TunnelVision)"),
  SERVER_UNREACHABLE("server-unreachable", "path to the VPN server blackholed while the tunnel device stays"),
  IPV6_RA("ipv6-ra", "an IPv4-only tunnel up; a rogue router advertisement gives the client an IPv6 default route and address");

  private final String label;
  private final String description;

  Scenario(String label, String description) {
    this.label = label;
    this.description = description;
  }

  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  /** The label, by which picocli reads and names a scenario on the command line. */
  @Override
  public String toString() {
    return label;
  }
}
