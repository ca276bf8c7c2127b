package org.ksaudit.lab;

/** The VPN the lab runs: real OpenVPN, or WireGuard in userspace (wireguard-go). */
public enum TunnelKind {
  OPENVPN("openvpn", "tun0", 1194),
  WIREGUARD("wireguard", "wg0", 51820);

  private final String label;
  private final String defaultInterface;
  private final int defaultPort;

  TunnelKind(String label, String defaultInterface, int defaultPort) {
    this.label = label;
    this.defaultInterface = defaultInterface;
    this.defaultPort = defaultPort;
  }

  public String label() {
    return label;
  }

  /** The label, by which picocli reads and names a kind on the command line. */
  @Override
  public String toString() {
    return label;
  }

  public String defaultInterface() {
    return defaultInterface;
  }

  public int defaultPort() {
    return defaultPort;
  }
}
