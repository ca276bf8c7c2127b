package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.model.Family;

/**
 * One counting rule per probe at each place it can arrive: the router's side of each of the
 * client's interfaces (in clear), the internet's link to the router (in clear), the VPN
 * server's device (through the tunnel) and, behind a forwarding client, the LAN host (in clear:
 * the client's own packets sent out of its LAN interface). A probe is told by its own match
 * (source port, or a payload token for ICMP), so its packets are recognised wherever they arrive.
 */
final class ProbeCounters {
  /** Where {@link Arrivals#router} says a packet counted at the LAN host arrived. */
  static final String AT_LAN_HOST = "the LAN host";
  private final Lab lab;
  private final Optional<LanHost> lanHost;
  private final StringBuilder host4 = new StringBuilder();
  private final StringBuilder router4 = new StringBuilder();
  private final StringBuilder router6 = new StringBuilder();
  private final StringBuilder inet4 = new StringBuilder();
  private final StringBuilder inet6 = new StringBuilder();

  ProbeCounters(Lab lab, Optional<LanHost> lanHost) {
    this.lab = lab;
    this.lanHost = lanHost;
  }

  void add(ScenarioProbe p, String match) {
    boolean v4 = p.family() == Family.IPV4;
    List<String> phys = lab.plan().physicalInterfaces();
    for (int k = 0; k < phys.size(); k++) {
      (v4 ? router4 : router6).append("-A PREROUTING -i ").append(Lab.routerSide(k)).append(' ').append(match)
          .append(" -m comment --comment r").append(k).append('-').append(p.id()).append('\n');
    }
    (v4 ? inet4 : inet6).append("-A PREROUTING -i up0 ").append(match).append(" -m comment --comment c-").append(p.id()).append('\n')
        .append("-A PREROUTING -i ").append(lab.vpn().serverInterface()).append(' ').append(match)
        .append(" -m comment --comment t-").append(p.id()).append('\n');
    // from the client's own LAN address only: what comes back to the LAN host's own probes is no leak of the client's
    lanHost.filter(h -> v4).ifPresent(h -> host4.append("-A PREROUTING -i ").append(LanHost.DEVICE).append(" -s ")
        .append(h.plan().gateway()).append(' ').append(match).append(" -m comment --comment h-").append(p.id()).append('\n'));
  }

  /**
   * Counts, as arriving through the tunnel, packets that another process of the client sent on
   * the probe's behalf (the stub resolver's forwarded query) and that {@code match} recognises.
   */
  void addForwarded(ScenarioProbe p, String match) {
    (p.family() == Family.IPV4 ? inet4 : inet6).append("-A PREROUTING -i ").append(lab.vpn().serverInterface()).append(' ').append(match)
        .append(" -m comment --comment f-").append(p.id()).append('\n');
  }

  /** Replaces the raw tables of the router and the internet with these counters, all at zero. */
  void install() throws LabException {
    List<Concurrently.Action> steps = new ArrayList<>(List.of(
        () -> Lab.restore(lab.router(), "iptables-restore", raw(router4)),
        () -> Lab.restore(lab.router(), "ip6tables-restore", raw(router6)),
        () -> Lab.restore(lab.internet(), "iptables-restore", raw(inet4)),
        () -> Lab.restore(lab.internet(), "ip6tables-restore", raw(inet6))));
    lanHost.ifPresent(h -> steps.add(() -> Lab.restore(h.namespace(), "iptables-restore", raw(host4))));
    Concurrently.all(steps);
  }

  private static String raw(StringBuilder rules) {
    return "*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n" + rules + "COMMIT\n";
  }

  Arrivals read() throws LabException {
    List<Concurrently.Step<Map<String, Long>>> steps = new ArrayList<>();
    for (Netns ns : List.of(lab.router(), lab.internet())) {
      for (String save : List.of("iptables-save", "ip6tables-save")) steps.add(() -> counts(ns, save));
    }
    lanHost.ifPresent(h -> steps.add(() -> counts(h.namespace(), "iptables-save")));
    Map<String, Long> all = new HashMap<>();
    Concurrently.run(steps).forEach(all::putAll);
    return new Arrivals(all);
  }

  private static Map<String, Long> counts(Netns ns, String save) throws LabException {
    Exec.Result r = ns.exec(null, 30_000, save, "-c", "-t", "raw");
    if (!r.ok()) throw new LabException(save + " failed in " + ns.name() + ": " + r.firstLine());
    return ArrivalCounters.parse(r.stdout());
  }

  record Arrivals(Map<String, Long> counts) {
    /** The router-side interface where the probe was first counted in clear, if any. */
    Optional<String> router(String id) {
      for (int k = 0; ; k++) {
        Long n = counts.get("r" + k + "-" + id);
        if (n == null) return counts.getOrDefault("h-" + id, 0L) > 0 ? Optional.of(AT_LAN_HOST) : Optional.empty();
        if (n > 0) return Optional.of(Lab.routerSide(k));
      }
    }

    /** How many of the probe's packets the router counted in clear, on all of the client's interfaces. */
    long routerCount(String id) {
      long n = 0;
      for (int k = 0; counts.containsKey("r" + k + "-" + id); k++) n += counts.get("r" + k + "-" + id);
      return n + counts.getOrDefault("h-" + id, 0L);
    }

    boolean clear(String id) {
      return counts.getOrDefault("c-" + id, 0L) > 0;
    }

    boolean tunnel(String id) {
      return tunnelCount(id) > 0;
    }

    /** The probe's packets through the tunnel, with those a stub resolver forwarded for it. */
    long tunnelCount(String id) {
      return counts.getOrDefault("t-" + id, 0L) + counts.getOrDefault("f-" + id, 0L);
    }
  }
}
