package org.ksaudit.lab;

import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * One packet the prober sends in a scenario. A <i>service</i> probe is a real request made by
 * the client prober (DNS, web, echo, NTP) and follows the client's routes; a <i>raw</i> probe
 * is a single packet sent out of {@code forcedOif} when given (witness packets) or out of the
 * routed interface. {@code intendedInClear} marks traffic the user declared may leave in
 * clear (a LAN neighbour inside --allow-lan): seen at the router, but not a leak. A
 * {@code forwarded} probe is a raw packet of the LAN host behind a forwarding client.
 */
public record ScenarioProbe(
    String id,
    String label,
    Family family,
    String proto,
    String dst,
    int dport,
    Optional<String> service,
    Optional<String> forcedOif,
    List<String> findings,
    boolean intendedInClear,
    boolean forwarded) {
  public ScenarioProbe {
    findings = List.copyOf(findings);
  }

  public boolean raw() {
    return service.isEmpty();
  }

  /** {@code udp 10.45.16.1:53}, as the report prints it. */
  public String packet() {
    String host = family == Family.IPV6 ? "[" + dst + "]" : dst;
    return proto + " " + (dport < 0 ? dst : host + ":" + dport);
  }

  ScenarioProbe withFindings(List<String> more) {
    List<String> all = new java.util.ArrayList<>(findings);
    for (String f : more) if (!all.contains(f)) all.add(f);
    return new ScenarioProbe(id, label, family, proto, dst, dport, service, forcedOif, all, intendedInClear, forwarded);
  }
}
