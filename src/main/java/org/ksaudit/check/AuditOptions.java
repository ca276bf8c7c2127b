package org.ksaudit.check;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.Cidr;

/**
 * What the user told the audit: tunnel interface names ({@code +} or {@code *} at the end is
 * a wildcard; empty means detect them), the VPN servers, the LAN ranges meant to stay
 * reachable in clear, kernel settings, and the address families the host does not have
 * ({@code --no-ipv4}, {@code --no-ipv6}): a family it lacks needs no ruleset; and where the rules
 * come from, for the words of a finding about a family without rules.
 */
public record AuditOptions(List<String> tunnels, List<Endpoint> endpoints, List<Cidr> allowLan, Sysctl sysctl,
    Set<Family> absentFamilies, RulesOrigin origin) {
  public AuditOptions {
    tunnels = List.copyOf(tunnels);
    endpoints = List.copyOf(endpoints);
    allowLan = List.copyOf(allowLan);
    Objects.requireNonNull(sysctl, "sysctl");
    absentFamilies = Set.copyOf(absentFamilies);
    Objects.requireNonNull(origin, "origin");
  }

  /** Options for a host with both families. */
  public AuditOptions(List<String> tunnels, List<Endpoint> endpoints, List<Cidr> allowLan, Sysctl sysctl) {
    this(tunnels, endpoints, allowLan, sysctl, Set.of(), RulesOrigin.FILES);
  }

  public static AuditOptions defaults() {
    return new AuditOptions(List.of(), List.of(), List.of(), Sysctl.empty());
  }

  public AuditOptions withTunnels(List<String> t) {
    return new AuditOptions(t, endpoints, allowLan, sysctl, absentFamilies, origin);
  }

  public AuditOptions withEndpoints(List<Endpoint> e) {
    return new AuditOptions(tunnels, e, allowLan, sysctl, absentFamilies, origin);
  }

  public AuditOptions withAllowLan(List<Cidr> lan) {
    return new AuditOptions(tunnels, endpoints, lan, sysctl, absentFamilies, origin);
  }

  public AuditOptions withSysctl(Sysctl s) {
    return new AuditOptions(tunnels, endpoints, allowLan, s, absentFamilies, origin);
  }

  public AuditOptions withAbsentFamilies(Set<Family> absent) {
    return new AuditOptions(tunnels, endpoints, allowLan, sysctl, absent, origin);
  }

  public AuditOptions withOrigin(RulesOrigin o) {
    return new AuditOptions(tunnels, endpoints, allowLan, sysctl, absentFamilies, o);
  }

  /** Whether the user said the host has no such family ({@code --no-ipv4}, {@code --no-ipv6}). */
  public boolean absent(Family f) {
    return absentFamilies.contains(f);
  }
}
