package org.ksaudit.lab;

/** The situations the prober puts the VPN in, in the order it runs them. */
public enum Scenario {
  BASELINE("baseline", "tunnel up: the killswitch must not break the VPN"),
  TUNNEL_DOWN("tunnel-down", "VPN client process killed: the tunnel device and its routes are gone"),
  SERVER_UNREACHABLE("server-unreachable", "path to the VPN server blackholed while the tunnel device stays"),
  LOCALNET("localnet", "tunnel up; addresses inside the LAN range are really remote hosts (TunnelCrack LocalNet)");

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
