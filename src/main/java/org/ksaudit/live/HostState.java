package org.ksaudit.live;

import java.util.List;
import java.util.Optional;
import org.ksaudit.check.Sysctl;

/**
 * What a host's firewall, network and boot configuration were when they were read: the rules
 * each iptables backend holds, native nftables tables, effective sysctls, links and their
 * addresses, routes of every table, policy routing rules, resolvers, and the saved rule files a boot would restore. Every list is
 * in the order the host gave it.
 */
public record HostState(
    String source,
    List<RulesDump> dumps,
    List<NftTable> nftTables,
    Sysctl sysctl,
    List<HostLink> links,
    List<HostRoute> routes,
    List<PolicyRule> policyRules,
    List<Resolver> resolvers,
    List<SavedRules> saved,
    List<String> restorers,
    List<String> notes) {
  public HostState {
    dumps = List.copyOf(dumps);
    nftTables = List.copyOf(nftTables);
    links = List.copyOf(links);
    routes = List.copyOf(routes);
    policyRules = List.copyOf(policyRules);
    resolvers = List.copyOf(resolvers);
    saved = List.copyOf(saved);
    restorers = List.copyOf(restorers);
    notes = List.copyOf(notes);
  }

  public Optional<HostLink> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }
}
