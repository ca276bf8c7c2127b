package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.ksaudit.check.Sysctl;
import org.ksaudit.check.Witness;
import org.ksaudit.model.Family;

/**
 * Runs the scenarios in a lab and measures every probe: a service probe through the client
 * prober (a JVM inside the client namespace), then raw packets (ICMP echo, the VPN port to
 * another host, the LAN, witness packets). Each probe has its own counting rule at the router
 * (in clear: a leak) and at the internet (in clear or through the tunnel).
 */
public final class LeakProber implements ScenarioDriver {
  /** A witness packet and the finding it comes from. */
  public record WitnessRef(String findingId, String category, Witness witness) {}

  private static final long VPN_UP_MILLIS = 10_000;
  /** A first round; a tunnel that does not serve within it gets the patient second round. */
  private static final int BASELINE_TIMEOUT = 1_200;
  private static final int BASELINE_RETRY_TIMEOUT = 10_000;
  /**
   * Outside the baseline the counters decide, and a probe's first packet goes out at once: the
   * wait is for answers worth showing, and for a SYN the rules drop, which waits it all.
   */
  private static final int FAILURE_TIMEOUT = 600;
  private static final long SETTLE_MILLIS = 150;

  private final Lab lab;
  private final LabPlan plan;
  private final List<WitnessRef> witnesses;
  private final Consumer<String> progress;
  private int nextId;
  private int nextPort = 20_000;
  /** Once the VPN failed to come up, later scenarios do not wait the full time for it again. */
  private boolean vpnWorks = true;
  /** What the running VPN client carries; empty when none runs. */
  private Optional<Vpn.Carried> running = Optional.empty();
  /** Whether the running client's tunnel came up. */
  private boolean runningUp;
  private final List<Scenario> order;
  private final Optional<LanHost> lanHost;
  private final List<WitnessRef> forwardWitnesses;

  private LeakProber(Lab lab, Optional<LanHost> lanHost, List<WitnessRef> witnesses, List<WitnessRef> forwardWitnesses,
      Set<Scenario> selected, Consumer<String> progress) {
    this.lab = lab;
    this.lanHost = lanHost;
    this.forwardWitnesses = List.copyOf(forwardWitnesses);
    this.plan = lab.plan();
    this.witnesses = List.copyOf(witnesses);
    this.order = List.copyOf(new java.util.TreeSet<>(selected));
    this.progress = progress;
  }

  /**
   * Builds the lab (with a LAN host behind the client when {@code forwarding} is given),
   * runs every scenario, tears everything down, then asks the engine about each packet.
   * {@code forwardWitnesses} are the forward-leak findings' witnesses, replayed from the LAN host.
   */
  public static ProbeReport run(LabPlan plan, Optional<ForwardingPlan> forwarding, Optional<String> rulesV4, Optional<String> rulesV6,
      Sysctl sysctl, List<WitnessRef> witnesses, List<WitnessRef> forwardWitnesses, Set<Scenario> selected, Predictor predictor,
      Consumer<String> progress) throws LabException {
    long t0 = System.nanoTime();
    progress.accept("probe: building the lab (" + plan.kind().label() + ", VPN server " + plan.server() + ":" + plan.port() + "/" + plan.proto() + ")");
    List<ScenarioResult> raw = new ArrayList<>();
    boolean baselineWorks = true;
    Optional<String> problem = Optional.empty();
    Optional<String> webShows = Optional.empty();
    List<FailedCheck> failed = List.of();
    LabTools.require(Lab.requiredTools(plan, selected));
    try (Lab lab = Lab.build(plan, rulesV4, rulesV6, sysctl, progress);
         LanHost lanHost = forwarding.isPresent() ? LanHost.attach(lab, forwarding.get()) : null) {
      if (lanHost != null) progress.accept("lab: " + String.join("; ", forwarding.get().notes()));
      LeakProber p = new LeakProber(lab, Optional.ofNullable(lanHost), witnesses, forwardWitnesses, selected, progress);
      if (selected.contains(Scenario.BASELINE)) {
        Baseline b = p.baseline(raw);
        baselineWorks = b.works;
        problem = b.problem;
        webShows = b.webShows;
        failed = b.failed;
      }
      if (selected.contains(Scenario.TUNNEL_DOWN)) p.tunnelDown(raw);
      if (selected.contains(Scenario.CRASH)) p.run(Scenario.CRASH, "killing the VPN client with SIGKILL", CrashScenario::run, raw);
      if (selected.contains(Scenario.CRASH_PERSISTENT_TUN)) {
        p.run(Scenario.CRASH_PERSISTENT_TUN, "killing the VPN client with SIGKILL on a tun device made beforehand", CrashScenario::runPersistentTun, raw);
      }
      if (selected.contains(Scenario.RECONNECT)) {
        p.run(Scenario.RECONNECT, "stopping and restarting the VPN client, probing all the while", ReconnectScenario::run, raw);
      }
      if (selected.contains(Scenario.LOCALNET)) p.localnet(raw);
      if (selected.contains(Scenario.TUNNELVISION)) {
        p.run(Scenario.TUNNELVISION, "a rogue DHCP server pushes classless static routes (option 121)", TunnelVisionScenario::run, raw);
      }
      if (selected.contains(Scenario.SERVER_UNREACHABLE)) p.serverUnreachable(raw);
      if (selected.contains(Scenario.IPV6_RA)) {
        p.run(Scenario.IPV6_RA, "an IPv4-only VPN, then a rogue router advertisement", RogueRaScenario::run, raw);
      }
    }
    List<Probe> packets = new ArrayList<>();
    for (ScenarioResult s : raw) for (ProbeOutcome o : s.outcomes()) toPacket(o, forwarding).ifPresent(packets::add);
    progress.accept("probe: predictions: asking the engine about " + new LinkedHashSet<>(packets).size() + " packets");
    Map<Probe, String> verdicts;
    Optional<String> predictionsNote = Optional.empty();
    try {
      verdicts = predictor.verdicts(List.copyOf(new LinkedHashSet<>(packets)));
    } catch (LabException e) {
      verdicts = Map.of();
      predictionsNote = Optional.of(e.getMessage());
    }
    if (!failed.isEmpty()) {
      Map<Probe, String> traces;
      try {
        traces = predictor.traces(failed.stream().map(FailedCheck::packet).flatMap(Optional::stream).distinct().toList());
      } catch (LabException e) {
        traces = Map.of();
      }
      problem = Optional.of(problem.orElse("") + BaselineExplainer.explain(failed, traces, plan));
    }
    List<ScenarioResult> scenarios = new ArrayList<>();
    for (ScenarioResult s : raw) {
      List<ProbeOutcome> outs = new ArrayList<>();
      for (ProbeOutcome o : s.outcomes()) {
        Optional<String> v = toPacket(o, forwarding).map(verdicts::get);
        // out of a physical interface, or the LAN interface of a forwarding client: in clear
        String oif = o.oif().orElse("");
        boolean clear = v.map(x -> x.equals("ACCEPT")).orElse(false)
            && (plan.physicalInterfaces().contains(oif) || forwarding.map(f -> f.lanInterface().equals(oif)).orElse(false));
        outs.add(new ProbeOutcome(o.probe(), o.oif(), o.sendError(), o.routerInterface(), o.internetClear(), o.internetTunnel(),
            o.answer(), v, clear));
      }
      scenarios.add(new ScenarioResult(s.scenario(), s.tunnelUp(), s.notes(), outs));
    }
    return new ProbeReport(plan, scenarios, selected.contains(Scenario.BASELINE), baselineWorks, problem, webShows, predictionsNote,
        (System.nanoTime() - t0) / 1e9);
  }

  private static Optional<Probe> toPacket(ProbeOutcome o, Optional<ForwardingPlan> forwarding) {
    if (o.oif().isEmpty()) return Optional.empty();
    ScenarioProbe p = o.probe();
    if (p.forwarded()) {
      ForwardingPlan f = forwarding.orElseThrow();
      return Optional.of(new Probe(p.family(), p.proto(), p.dst(), p.dport(), o.oif().get(), Optional.of(f.lanInterface()), Optional.of(f.host())));
    }
    return Optional.of(new Probe(p.family(), p.proto(), p.dst(), p.dport(), o.oif().get()));
  }

  /**
   * What the baseline found; {@code problem} is the start of the sentence that
   * {@link BaselineExplainer} completes for the {@code failed} checks once the engine has traced them.
   */
  private record Baseline(boolean works, Optional<String> problem, Optional<String> webShows, List<FailedCheck> failed) {}

  private Baseline baseline(List<ScenarioResult> out) throws LabException {
    step(Scenario.BASELINE, "starting the VPN client");
    boolean up = startVpn(VPN_UP_MILLIS);
    vpnWorks = up;
    List<String> notes = new ArrayList<>();
    ScenarioResult r = measure(Scenario.BASELINE, up, notes, List.of(), BASELINE_TIMEOUT);
    if (up && !tunnelServes(r) && lab.vpn().failure().isEmpty()) {
      // a loaded machine can answer after the first timeout: the VPN is judged broken only after a patient second round
      r = measure(Scenario.BASELINE, true, notes, List.of(), BASELINE_RETRY_TIMEOUT);
    }
    Optional<ProbeOutcome> dns = find(r, "dns-udp", resolver());
    Optional<ProbeOutcome> web = find(r, "http", LabPlan.WEB4);
    boolean dnsOk = dns.map(o -> o.answer().isPresent() && o.internetTunnel()).orElse(false);
    Optional<String> shows = web.flatMap(ProbeOutcome::answer);
    boolean webOk = shows.map(plan.exit4()::equals).orElse(false);
    Optional<String> problem = Optional.empty();
    List<FailedCheck> failed = new ArrayList<>();
    // checked after the probes: a VPN that died while they ran makes them say nothing about the rules
    Optional<String> died = lab.vpn().failure();
    if (died.isPresent()) {
      problem = Optional.of("the VPN stopped " + (up ? "while the baseline ran" : "before it came up") + ": " + died.get());
    } else if (!up) {
      boolean blocked = Wiring.blocked(lab.vpn().clientLogTail());
      problem = Optional.of("the VPN did not come up" + (blocked ? ": " : ": no handshake within " + VPN_UP_MILLIS / 1000 + " s"));
      if (blocked) {
        failed.add(new FailedCheck("the VPN's own packets to " + plan.server() + ":" + plan.port() + "/" + plan.proto() + " out " + plan.uplink(),
            "the VPN client's sendto failed: operation not permitted",
            Optional.of(new Probe(Family.IPV4, plan.proto(), plan.server(), plan.port(), plan.uplink()))));
      }
    } else if (!dnsOk || !webOk) {
      problem = Optional.of("the tunnel is up, but ");
      if (!dnsOk) {
        failed.add(new FailedCheck(plan.stub().map(x -> "DNS through the local stub resolver " + x.address() + " to the VPN resolver ").orElse("DNS to the VPN resolver ")
            + plan.vpnDns() + " through the tunnel",
            dns.map(o -> o.answer().isPresent() ? "answered, but not through the tunnel" : o.sendError().orElse("no answer")).orElse("not sent"),
            dns.flatMap(o -> o.oif().map(i -> new Probe(o.probe().family(), o.probe().proto(), o.probe().dst(), o.probe().dport(), i)))));
      }
      if (!webOk) {
        failed.add(new FailedCheck("the web page " + LabPlan.WEB4 + " showing the VPN exit address " + plan.exit4(),
            shows.map(s -> "it showed " + s).orElse("it did not load" + web.flatMap(ProbeOutcome::sendError).map(e -> ": " + e).orElse("")),
            web.flatMap(o -> o.oif().map(i -> new Probe(o.probe().family(), o.probe().proto(), o.probe().dst(), o.probe().dport(), i)))));
      }
    }
    out.add(new ScenarioResult(r.scenario(), up, notes, r.outcomes()));
    return new Baseline(problem.isEmpty(), problem, shows, failed);
  }

  /** A scenario written as a class of its own. */
  private interface ScenarioRun {
    ScenarioResult run(ScenarioDriver driver) throws LabException;
  }

  /** Runs a scenario class; a tunnel it leaves up serves the next scenario that needs one. */
  private void run(Scenario s, String what, ScenarioRun scenario, List<ScenarioResult> out) throws LabException {
    step(s, what);
    out.add(scenario.run(this));
  }

  private void tunnelDown(List<ScenarioResult> out) throws LabException {
    step(Scenario.TUNNEL_DOWN, "stopping the VPN client");
    // a client that did not come up is stopped as it is: a new one would only wait for its handshake again
    if (running.isEmpty()) startVpn(vpnTimeout());
    stopVpn();
    out.add(measure(Scenario.TUNNEL_DOWN, false, List.of("the VPN client was stopped (SIGTERM): it took down "
        + plan.tunnelInterface() + " and its routes"), List.of(), FAILURE_TIMEOUT));
  }

  private void serverUnreachable(List<ScenarioResult> out) throws LabException {
    step(Scenario.SERVER_UNREACHABLE, "blackholing the path to the VPN server");
    boolean up = vpnUp(Vpn.Carried.BOTH);
    List<String> notes = new ArrayList<>(List.of("route to " + plan.server() + " blackholed at the router; " + plan.tunnelInterface() + " stays"
        + (up ? "" : " (the tunnel had not come up)")));
    lab.vpn().failure().ifPresent(notes::add);
    lab.blackholeServer(true);
    try {
      out.add(measure(Scenario.SERVER_UNREACHABLE, up, notes, List.of(), FAILURE_TIMEOUT));
    } finally {
      lab.blackholeServer(false);
      // the client spent the blackhole without its server (a TCP transport backs off its retransmissions): the next scenario starts afresh
      killVpn();
    }
  }

  private void localnet(List<ScenarioResult> out) throws LabException {
    step(Scenario.LOCALNET, "probing remote hosts inside the LAN range through the VPN");
    boolean up = vpnUp(Vpn.Carried.BOTH);
    List<ScenarioProbe> extra = new ArrayList<>();
    extra.add(service("LocalNet: web on a remote host inside the LAN range", "http", plan.localnetRemote4(), 80));
    extra.add(service("LocalNet: DNS to a remote host inside the LAN range", "dns-udp", plan.localnetRemote4(), 53));
    extra.add(raw("LocalNet: ICMP echo to a remote host inside the LAN range", "icmp", plan.localnetRemote4(), -1, Optional.empty()));
    if (lab.clientIpv6()) {
      extra.add(service("LocalNet: web on a remote host inside the IPv6 LAN range", "http", plan.localnetRemote6(), 80));
    }
    List<String> notes = new ArrayList<>(List.of("remote hosts " + plan.localnetRemote4() + " and " + plan.localnetRemote6()
        + " sit inside the LAN ranges " + plan.lan4() + " / " + plan.lan6()));
    lab.vpn().failure().ifPresent(notes::add);
    out.add(measure(Scenario.LOCALNET, up, notes, extra, FAILURE_TIMEOUT));
  }

  private boolean startVpn(long timeout) throws LabException {
    return startVpn(timeout, Vpn.Carried.BOTH);
  }

  private boolean startVpn(long timeout, Vpn.Carried carried) throws LabException {
    if (running.isPresent()) killVpn();
    running = Optional.of(carried);
    runningUp = lab.vpn().startClient(timeout, carried);
    return runningUp;
  }

  @Override
  public Lab lab() {
    return lab;
  }

  @Override
  public boolean startVpn(Vpn.Carried carried) throws LabException {
    return startVpn(vpnTimeout(), carried);
  }

  /**
   * A VPN client's start is a TLS or WireGuard handshake and, for OpenVPN, up to a second of its
   * timer: a client that came up, still runs and carries what is asked serves the next scenario.
   */
  @Override
  public boolean vpnUp(Vpn.Carried carried) throws LabException {
    if (running.equals(Optional.of(carried)) && runningUp && lab.vpn().failure().isEmpty()) return true;
    return startVpn(vpnTimeout(), carried);
  }

  @Override
  public void killVpn() throws LabException {
    running = Optional.empty();
    lab.vpn().killClient();
  }

  @Override
  public void stopVpn() throws LabException {
    running = Optional.empty();
    lab.vpn().stopClient();
  }

  @Override
  public ScenarioResult measure(Scenario s, boolean tunnelUp, List<String> notes, List<ScenarioProbe> extra) throws LabException {
    return measure(s, tunnelUp, notes, extra, FAILURE_TIMEOUT);
  }

  @Override
  public ProbeCounters counters() {
    return new ProbeCounters(lab, lanHost);
  }

  @Override
  public ScenarioProbe rawProbe(String label, String proto, String dst, int port) {
    return raw(label, proto, dst, port, Optional.empty());
  }

  private long vpnTimeout() {
    return vpnWorks ? VPN_UP_MILLIS : 3_000;
  }

  private void step(Scenario s, String what) {
    progress.accept("probe: [" + (order.indexOf(s) + 1) + "/" + order.size() + "] " + s.label() + ": " + what);
  }

  /** DNS (through the stub resolver, when the host has one) answered through the tunnel and the web page showed the VPN's exit address. */
  private boolean tunnelServes(ScenarioResult r) {
    boolean dns = find(r, "dns-udp", resolver()).map(o -> o.answer().isPresent() && o.internetTunnel()).orElse(false);
    return dns && find(r, "http", LabPlan.WEB4).flatMap(ProbeOutcome::answer).map(plan.exit4()::equals).orElse(false);
  }

  /** Where the host's applications send DNS: the local stub resolver when the rules have one, else the VPN DNS itself. */
  private String resolver() {
    return plan.stub().map(LocalStub::address).orElse(plan.vpnDns());
  }

  private boolean toStub(ScenarioProbe p) {
    return plan.stub().map(x -> x.address().equals(p.dst())).orElse(false) && p.service().map(k -> k.startsWith("dns-")).orElse(false);
  }

  private static Optional<ProbeOutcome> find(ScenarioResult r, String service, String dst) {
    return r.outcomes().stream().filter(o -> o.probe().service().map(service::equals).orElse(false) && o.probe().dst().equals(dst)).findFirst();
  }

  /** The probe set the issue lists, then the witness packets, de-duplicated by packet. */
  private List<ScenarioProbe> probeSet(List<ScenarioProbe> extra) {
    List<ScenarioProbe> ps = new ArrayList<>();
    for (String proto : List.of("udp", "tcp")) {
      String kind = "dns-" + proto;
      if (plan.stub().isPresent()) {
        ps.add(service("DNS/" + proto + " to the configured resolver, the local stub (resolv.conf)", kind, plan.stub().get().address(), 53));
        ps.add(service("DNS/" + proto + " to the LAN router's resolver", kind, plan.router4(), 53));
        ps.add(service("DNS/" + proto + " to the LAN router's resolver over IPv6", kind, plan.router6(), 53));
      } else {
        ps.add(service("DNS/" + proto + " to the configured resolver (resolv.conf)", kind, plan.router4(), 53));
        ps.add(service("DNS/" + proto + " to the configured resolver over IPv6", kind, plan.router6(), 53));
      }
      ps.add(service("DNS/" + proto + " to the VPN DNS", kind, plan.vpnDns(), 53));
      ps.add(service("DNS/" + proto + " to a public resolver", kind, LabPlan.PUBLIC_DNS4, 53));
      ps.add(service("DNS/" + proto + " to a public resolver over IPv6", kind, LabPlan.PUBLIC_DNS6, 53));
    }
    ps.add(service("web page (HTTP)", "http", LabPlan.WEB4, 80));
    ps.add(service("web page over IPv6", "http", LabPlan.WEB6, 80));
    ps.add(service("TCP echo", "echo-tcp", LabPlan.WEB4, 7));
    ps.add(service("TCP echo over IPv6", "echo-tcp", LabPlan.WEB6, 7));
    ps.add(service("UDP echo", "echo-udp", LabPlan.WEB4, 7));
    ps.add(service("UDP echo over IPv6", "echo-udp", LabPlan.WEB6, 7));
    ps.add(service("NTP", "ntp", LabPlan.WEB4, 123));
    ps.add(service("NTP over IPv6", "ntp", LabPlan.WEB6, 123));
    ps.add(raw("ICMP echo", "icmp", LabPlan.WEB4, -1, Optional.empty()));
    ps.add(raw("ICMPv6 echo", "icmp", LabPlan.WEB6, -1, Optional.empty()));
    ps.add(raw("the VPN port on a host that is not the VPN server", plan.proto(), LabPlan.OTHER4, plan.port(), Optional.empty()));
    ps.add(lanNeighbour("TCP to a LAN host", "tcp", plan.lanHost4(), 80));
    ps.add(lanNeighbour("ICMP echo to a LAN host", "icmp", plan.lanHost4(), -1));
    ps.add(lanNeighbour("TCP to a LAN host over IPv6", "tcp", plan.lanHost6(), 80));
    ps.addAll(extra);
    lanHost.ifPresent(h -> ps.addAll(forwardedProbes(h.plan())));
    for (WitnessRef w : witnesses) {
      Witness x = w.witness();
      if (x.oif().equals("lo")) continue;
      ps.add(raw("witness of " + w.findingId() + " (" + w.category() + ")", x.proto(), LabAddress.canonical(x.dst()), x.dport(),
          Optional.of(x.oif())).withFindings(List.of(w.findingId())));
    }
    // one probe per packet: a witness that equals a listed probe is that probe
    Map<String, ScenarioProbe> unique = new LinkedHashMap<>();
    for (ScenarioProbe p : ps) {
      String key = p.proto() + " " + p.dst() + " " + p.dport() + " " + p.forcedOif().orElse("") + " " + p.raw() + " " + p.forwarded();
      ScenarioProbe prev = unique.get(key);
      unique.put(key, prev == null ? p : prev.withFindings(p.findings()));
    }
    return List.copyOf(unique.values());
  }

  /**
   * What the LAN host behind a forwarding client sends: web, DNS to a public resolver and to
   * the VPN's, ICMP echo, and each forward-leak witness that comes in on the LAN side as a new
   * connection of its own address.
   */
  private List<ScenarioProbe> forwardedProbes(ForwardingPlan f) {
    List<ScenarioProbe> ps = new ArrayList<>();
    ps.add(forwarded("forwarded from the LAN host: web page (HTTP)", "tcp", LabPlan.WEB4, 80));
    ps.add(forwarded("forwarded from the LAN host: DNS/udp to a public resolver", "udp", LabPlan.PUBLIC_DNS4, 53));
    ps.add(forwarded("forwarded from the LAN host: DNS/udp to the VPN DNS", "udp", plan.vpnDns(), 53));
    ps.add(forwarded("forwarded from the LAN host: ICMP echo", "icmp", LabPlan.WEB4, -1));
    for (WitnessRef w : forwardWitnesses) {
      Witness x = w.witness();
      boolean shape = x.family() == Family.IPV4 && x.iif().equals(f.lanInterface()) && x.state().equals("NEW") && x.mark() == 0
          && x.src().isEmpty() && x.sport() < 0 && x.icmpType() < 0 && x.tcpFlags().isEmpty() && Probe.PROTOCOLS.contains(x.proto());
      if (shape) {
        ps.add(forwarded("forwarded witness of " + w.findingId() + " (" + w.category() + ")", x.proto(), LabAddress.canonical(x.dst()), x.dport())
            .withFindings(List.of(w.findingId())));
      }
    }
    return ps;
  }

  private ScenarioProbe forwarded(String label, String proto, String dst, int port) {
    return new ScenarioProbe("p" + (++nextId), label, Family.IPV4, proto, dst, port, Optional.empty(), Optional.empty(), List.of(), false, true);
  }

  private ScenarioProbe service(String label, String kind, String dst, int port) {
    String proto = kind.endsWith("udp") || kind.equals("ntp") ? "udp" : "tcp";
    return new ScenarioProbe("p" + (++nextId), label, LabAddress.familyOf(dst), proto, LabAddress.canonical(dst), port,
        Optional.of(kind), Optional.empty(), List.of(), false, false);
  }

  private ScenarioProbe raw(String label, String proto, String dst, int port, Optional<String> oif) {
    String d = LabAddress.canonical(dst);
    return new ScenarioProbe("p" + (++nextId), label, LabAddress.familyOf(d), proto, d, port, Optional.empty(), oif, List.of(), false, false);
  }

  /** Traffic to a LAN neighbour: in clear on purpose when the user declared that LAN with --allow-lan. */
  private ScenarioProbe lanNeighbour(String label, String proto, String dst, int port) {
    String d = LabAddress.canonical(dst);
    return new ScenarioProbe("p" + (++nextId), label, LabAddress.familyOf(d), proto, d, port, Optional.empty(), Optional.empty(),
        List.of(), plan.declared(d), false);
  }

  /**
   * Sends the probe set (service probes through the client prober, then raw packets) and
   * reads every counter. Each probe has a source port of its own (the ICMP identifier and a
   * payload token for ICMP), so its packets are recognised wherever they arrive, even after a
   * DNAT rewrote their destination.
   */
  private ScenarioResult measure(Scenario s, boolean tunnelUp, List<String> notes, List<ScenarioProbe> extra, int timeout)
      throws LabException {
    lab.awaitServices();
    List<ScenarioProbe> probes = probeSet(extra);
    Map<String, Optional<String>> routes = lab.routes(probes.stream().filter(p -> p.forcedOif().isEmpty() && !p.forwarded())
        .map(ScenarioProbe::dst).toList());
    List<String> forwardedDsts = probes.stream().filter(ScenarioProbe::forwarded).map(ScenarioProbe::dst).toList();
    Map<String, Optional<String>> forwardedRoutes = forwardedDsts.isEmpty() ? Map.of() : lanHost.orElseThrow().routes(lab, forwardedDsts);
    Set<String> devices = RouteLookup.interfaces(lab.client());
    lab.neighbours(probes.stream().map(ScenarioProbe::dst).distinct().toList());

    ProbeCounters counting = counters();
    Map<String, Integer> ports = new HashMap<>();
    Map<String, Optional<String>> oifs = new HashMap<>();
    List<RawSender.Packet> packets = new ArrayList<>();
    List<RawSender.Packet> fromLan = new ArrayList<>();
    Map<String, RawSender.Packet> packetOf = new HashMap<>();
    for (ScenarioProbe p : probes) {
      int port = nextPort++;
      ports.put(p.id(), port);
      String token = "ksa" + port + "x";
      counting.add(p, p.proto().equals("icmp")
          ? (p.family() == Family.IPV4 ? "-p icmp" : "-p ipv6-icmp") + " -m string --algo bm --string " + token
          : "-p " + p.proto() + " --sport " + port + (p.proto().equals("tcp") ? " --syn" : ""));
      // the stub forwards the query from a socket of its own: the query's name, which carries the probe's id, tells it apart
      if (toStub(p)) counting.addForwarded(p, "-p " + p.proto() + " --dport 53 -m string --algo bm --hex-string \"" + ClientProber.queryNameLabel(p.id()) + "\"");
      Optional<String> oif = p.forcedOif().isPresent() ? p.forcedOif() : p.forwarded() ? forwardedRoutes.get(p.dst()) : routes.get(p.dst());
      if (oif.isPresent() && !devices.contains(oif.get())) oif = Optional.empty();
      oifs.put(p.id(), oif);
      if (p.forwarded() && oif.isPresent()) {
        RawSender.Packet packet = new RawSender.Packet(token, new Probe(p.family(), p.proto(), p.dst(), p.dport(), LanHost.DEVICE), port);
        fromLan.add(packet);
        packetOf.put(p.id(), packet);
      } else if (p.raw() && oif.isPresent()) {
        RawSender.Packet packet = new RawSender.Packet(token, new Probe(p.family(), p.proto(), p.dst(), p.dport(), oif.get()), port);
        packets.add(packet);
        packetOf.put(p.id(), packet);
      }
    }
    counting.install();
    List<ScenarioProbe> services = probes.stream().filter(p -> !p.raw()).toList();
    // independent senders (each probe has its own port and counter): the raw packets go out while the service probes wait for answers
    List<Map<String, String>> results = Concurrently.run(List.of(
        () -> services.isEmpty() ? Map.of() : lab.prober().run(services, ports, timeout),
        () -> packets.isEmpty() ? Map.of() : RawSender.send(lab.client(), packets),
        () -> fromLan.isEmpty() ? Map.of() : lanHost.orElseThrow().send(fromLan)));
    Map<String, String> answers = results.get(0);
    Map<String, String> sent = new HashMap<>(results.get(1));
    sent.putAll(results.get(2));
    LabProcess.sleep(SETTLE_MILLIS);
    ProbeCounters.Arrivals arrived = counting.read();

    List<ProbeOutcome> outcomes = new ArrayList<>();
    for (ScenarioProbe p : probes) {
      Optional<String> oif = oifs.get(p.id());
      Optional<String> answer = Optional.empty();
      Optional<String> err;
      if (oif.isEmpty()) {
        err = Optional.of(noRoute(p));
      } else if (p.raw()) {
        String how = sent.getOrDefault(packetOf.get(p.id()).token(), "error unknown");
        err = how.equals("sent") ? Optional.empty() : Optional.of(errno(how));
      } else {
        String ans = answers.getOrDefault(p.id(), "fail no result");
        answer = ans.startsWith("ok ") ? Optional.of(ans.substring(3)) : Optional.empty();
        err = answer.isPresent() ? Optional.empty() : Optional.of(ans.replaceFirst("^fail ", ""));
      }
      outcomes.add(new ProbeOutcome(p, oif, err, arrived.router(p.id()), arrived.clear(p.id()), arrived.tunnel(p.id()), answer,
          Optional.empty(), false));
    }
    List<String> all = new ArrayList<>(notes);
    lanHost.map(LanHost::plan).filter(f -> probes.stream().anyMatch(ScenarioProbe::forwarded)).ifPresent(f -> all.add("forwarded probes come from the LAN host "
        + f.host() + ", the client forwarding them (ip_forward=1): " + String.join("; ", f.notes())));
    return new ScenarioResult(s, tunnelUp, all, outcomes);
  }

  private String noRoute(ScenarioProbe p) {
    return p.family() == Family.IPV6 && !lab.clientIpv6() ? "not sent: IPv6 is disabled in the client (sysctl)" : "no route";
  }

  private static String errno(String how) {
    return switch (how) {
      case "error 1" -> "EPERM: dropped by the rules";
      case "error 111" -> "ECONNREFUSED: rejected by the rules";
      case "error 101" -> "ENETUNREACH";
      case "error 99" -> "EADDRNOTAVAIL (no address of this family)";
      default -> how;
    };
  }
}
