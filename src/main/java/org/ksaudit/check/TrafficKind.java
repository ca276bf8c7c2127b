package org.ksaudit.check;

/**
 * The kinds of packets a leak's traffic is told apart by, most specific first;
 * {@link #jsonName()} is used verbatim in JSON output.
 */
public enum TrafficKind {
  /** Destinations or messages that cannot leave the local link (see {@link LinkScope}). */
  LINK_LOCAL("link-local"),
  /** The VPN protocols' ports, or the VPN server's address. */
  VPN("vpn"),
  /** DNS and DNS over TLS: TCP or UDP port 53 or 853. */
  DNS("dns"),
  /** Private address ranges: RFC 1918, shared address space, IPv6 unique-local. */
  LAN("lan"),
  /** Everything else. */
  OTHER("other");

  private final String jsonName;

  TrafficKind(String jsonName) {
    this.jsonName = jsonName;
  }

  public String jsonName() {
    return jsonName;
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
