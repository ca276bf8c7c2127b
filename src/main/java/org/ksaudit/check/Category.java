package org.ksaudit.check;

import java.util.Optional;

/**
 * What kind of weakness a finding describes; {@link #jsonName()} is used verbatim in JSON output.
 * {@link #securitySeverity()} is the CVSS-like score (0.1 to 10) code-scanning tools rank alerts by:
 * traffic that leaves in clear with the user's real address (DNS, direct, IPv6) is 8 or above, an
 * allowance that leaks only to chosen hosts lower, a flaw in the rules' structure lower still.
 */
public enum Category {
  DEFAULT_POLICY("default-policy", 5.5),
  DNS_LEAK("dns-leak", 8.2),
  IPV6_LEAK("ipv6-leak", 8.0),
  VPN_ENDPOINT_TOO_BROAD("vpn-endpoint-too-broad", 7.0),
  LAN_EXEMPTION("lan-exemption", 6.5),
  DIRECT_LEAK("direct-leak", 8.8),
  FORWARD_LEAK("forward-leak", 7.5),
  UNREACHABLE_RULE("unreachable-rule", 2.0),
  SHADOWED_RULE("shadowed-rule", 4.0),
  UNDEFINED_CHAIN("undefined-chain", 6.0),
  LINK_LOCAL("link-local", 4.0),
  INTERFACE_WILDCARD("interface-wildcard", 5.0),
  // the live host checks: a state the audit of the dumps cannot see through ranks as a structural flaw,
  // a host path that sends DNS, IPv6 or everything around the tunnel as the leak it allows
  NFT_NOT_AUDITED("nft-not-audited", 6.0),
  BOTH_BACKENDS("both-backends", 6.0),
  DNS_PATH("dns-path", 8.2),
  IPV6_EXPOSED("ipv6-exposed", 8.0),
  NOT_PERSISTENT("not-persistent", 5.0),
  DRIFT("drift", 5.0),
  DEFAULT_ROUTE("default-route", 8.8),

  // a suppression that hides nothing or has no reason: a flaw of the configuration, not of the rules
  SUPPRESSION("suppression", 2.0);

  private final String jsonName;
  private final double securitySeverity;

  Category(String jsonName, double securitySeverity) {
    this.jsonName = jsonName;
    this.securitySeverity = securitySeverity;
  }

  public String jsonName() {
    return jsonName;
  }

  public double securitySeverity() {
    return securitySeverity;
  }

  public static Optional<Category> byJsonName(String name) {
    for (Category c : values()) if (c.jsonName.equals(name)) return Optional.of(c);
    return Optional.empty();
  }

  @Override
  public String toString() {
    return jsonName;
  }
}
