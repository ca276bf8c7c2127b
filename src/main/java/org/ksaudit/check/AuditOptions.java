package org.ksaudit.check;

import java.util.List;
import java.util.Objects;
import org.ksaudit.model.value.Cidr;

/**
 * What the user told the audit: tunnel interface names ({@code +} or {@code *} at the end is
 * a wildcard; empty means detect them), the VPN servers, the LAN ranges meant to stay
 * reachable in clear, and kernel settings.
 */
public record AuditOptions(List<String> tunnels, List<Endpoint> endpoints, List<Cidr> allowLan, Sysctl sysctl) {
  public AuditOptions {
    tunnels = List.copyOf(tunnels);
    endpoints = List.copyOf(endpoints);
    allowLan = List.copyOf(allowLan);
    Objects.requireNonNull(sysctl, "sysctl");
  }

  public static AuditOptions defaults() {
    return new AuditOptions(List.of(), List.of(), List.of(), Sysctl.empty());
  }

  public AuditOptions withTunnels(List<String> t) {
    return new AuditOptions(t, endpoints, allowLan, sysctl);
  }

  public AuditOptions withEndpoints(List<Endpoint> e) {
    return new AuditOptions(tunnels, e, allowLan, sysctl);
  }

  public AuditOptions withAllowLan(List<Cidr> lan) {
    return new AuditOptions(tunnels, endpoints, lan, sysctl);
  }

  public AuditOptions withSysctl(Sysctl s) {
    return new AuditOptions(tunnels, endpoints, allowLan, s);
  }
}
