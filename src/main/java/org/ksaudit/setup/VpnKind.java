package org.ksaudit.setup;

/** The kind of VPN a setup names: what the config file is, or what the rules point to. */
public enum VpnKind {
  OPENVPN("openvpn"),
  WIREGUARD("wireguard"),
  IPSEC("ipsec");

  private final String label;

  VpnKind(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
