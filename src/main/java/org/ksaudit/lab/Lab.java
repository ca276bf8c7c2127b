package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.ksaudit.check.Sysctl;
import org.ksaudit.model.Family;

/**
 * The disposable lab: three namespaces joined by veth pairs and linked to nothing else.
 * <ul>
 *   <li><b>client</b>: the user's rules (real iptables-restore), sysctls, {@code eth0} on the
 *       LAN (IPv4 and IPv6, default routes via the router), a resolv.conf, the VPN client;
 *   <li><b>router</b>: the LAN router / ISP, where every packet from the client arrives in
 *       clear: leaks are counted here;
 *   <li><b>internet</b>: the VPN server and the services (DNS, web, echo, NTP).
 * </ul>
 * Everything is removed on close, by shutdown hooks, or by {@code probe --cleanup}.
 */
public final class Lab implements AutoCloseable {
  private final LabPlan plan;
  private final ScratchDir scratch;
  private final List<Netns> namespaces = new ArrayList<>();
  private final List<LabProcess> processes = new ArrayList<>();
  private Netns client;
  private Netns router;
  private Netns internet;
  private Vpn vpn;
  private ClientProberProcess prober;
  private LabProcess services;
  private boolean servicesReady;
  private boolean clientIpv6;

  private Lab(LabPlan plan, ScratchDir scratch) {
    this.plan = plan;
    this.scratch = scratch;
  }

  /** The programs a lab of this kind runs with every scenario. */
  public static List<String> requiredTools(TunnelKind kind) {
    return requiredTools(kind, java.util.EnumSet.allOf(Scenario.class));
  }

  /** The programs a lab of this kind runs for these scenarios, whatever the plan. */
  public static List<String> requiredTools(TunnelKind kind, java.util.Set<Scenario> scenarios) {
    List<String> t = new ArrayList<>(List.of("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3"));
    t.addAll(kind == TunnelKind.OPENVPN ? List.of("openvpn", "openssl") : List.of("wireguard-go", "wg"));
    // TunnelVision: the attacker's DHCP server, the victim's DHCP client, a UTS namespace for its script
    if (scenarios.contains(Scenario.TUNNELVISION)) t.addAll(List.of("dnsmasq", "dhclient", "unshare"));
    return t;
  }

  /**
   * The programs this plan's lab runs for these scenarios: besides the kind's, setpriv when the
   * VPN client or the stub resolver runs as a uid or gid of the rules, dnsmasq for a stub resolver.
   */
  public static List<String> requiredTools(LabPlan plan, java.util.Set<Scenario> scenarios) {
    List<String> t = new ArrayList<>(requiredTools(plan.kind(), scenarios));
    boolean setpriv = !ClientIdentity.prefix(plan).isEmpty() || plan.stub().map(StubResolver::needsSetpriv).orElse(false);
    if (setpriv) t.add("setpriv");
    if (plan.stub().isPresent() && !t.contains("dnsmasq")) t.add("dnsmasq");
    return t;
  }

  /**
   * Builds the lab and loads the rules. A ruleset the kernel refuses raises
   * {@link RulesRefusedException}; any other failure a {@link LabException}.
   */
  public static Lab build(LabPlan plan, Optional<String> rulesV4, Optional<String> rulesV6, Sysctl sysctl,
      Consumer<String> progress) throws LabException {
    LabTools.require(requiredTools(plan, java.util.EnumSet.noneOf(Scenario.class)));
    Lab lab = new Lab(plan, ScratchDir.create());
    try {
      lab.wire();
      String applied = lab.configureClient(rulesV4, rulesV6, sysctl);
      progress.accept("lab: namespaces " + lab.client.name() + ", " + lab.router.name() + ", " + lab.internet.name() + applied);
      lab.vpn = plan.kind() == TunnelKind.OPENVPN ? new OpenVpn(lab) : new WireGuard(lab);
      lab.vpn.startServer();
      if (plan.stub().isPresent()) StubResolver.start(lab, plan.stub().get());
      return lab;
    } catch (LabException | RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  public LabPlan plan() {
    return plan;
  }

  Netns client() {
    return client;
  }

  Netns router() {
    return router;
  }

  Netns internet() {
    return internet;
  }

  ScratchDir scratch() {
    return scratch;
  }

  Vpn vpn() {
    return vpn;
  }

  /** Waits, the first time, until the services answer. */
  void awaitServices() throws LabException {
    if (servicesReady) return;
    if (!services.awaitLog(l -> l.contains("READY"), 20_000)) {
      throw new LabException("the lab's services did not start: " + services.logTail(5));
    }
    servicesReady = true;
  }

  /** The client prober: the service probes' requests, made inside the client. */
  ClientProberProcess prober() {
    return prober;
  }

  /** Whether the client can use IPv6 at all (the user's sysctls may switch it off). */
  boolean clientIpv6() {
    return clientIpv6;
  }

  LabProcess start(String name, Netns ns, List<String> command) throws LabException {
    LabProcess p = LabProcess.start(name, ns, command, scratch.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  /** The router-side name of the client's k-th physical interface. */
  static String routerSide(int k) {
    return "lan" + k;
  }

  // fixed MACs: every neighbour entry is static, since without link-local addresses IPv6 ND cannot run
  private static final String WAN_MAC = "02:6b:73:30:00:00";
  private static final String UP_MAC = "02:6b:73:31:00:00";

  static String clientMac(int k) {
    return String.format("02:6b:73:20:00:%02x", k);
  }

  static String routerMac(int k) {
    return String.format("02:6b:73:21:00:%02x", k);
  }

  private static String extra4(int k, int host) {
    return "198.18." + k + "." + host;
  }

  private static String extra6(int k, int host) {
    return String.format("2001:db8:e%03x::%x", k, host);
  }

  private void wire() throws LabException {
    List<Netns> made = Concurrently.run(List.<Concurrently.Step<Netns>>of(() -> quiet(own(Netns.create("client"))),
        () -> quiet(own(Netns.create("router"))), () -> quiet(own(Netns.create("inet")))));
    client = made.get(0);
    router = made.get(1);
    internet = made.get(2);
    // the services bind their addresses before they exist (the VPN DNS may be the tunnel address the VPN server makes)
    sysctl(internet, Map.of("net/ipv4/ip_nonlocal_bind", "1", "net/ipv6/ip_nonlocal_bind", "1"));
    // the helpers' JVMs start at once and warm up while the rest of the lab is built and the first VPN client handshakes;
    // the services are awaited before the first probe, the prober answers its first batch once it is warm
    services = start("services", internet, JavaMain.command(LabServices.class, serviceArguments()));
    prober = ClientProberProcess.start(this);
    List<String> phys = plan.physicalInterfaces();
    StringBuilder c = new StringBuilder();
    for (int k = 0; k < phys.size(); k++) {
      c.append("link add ").append(phys.get(k)).append(" address ").append(clientMac(k))
          .append(" type veth peer name ").append(routerSide(k)).append(" address ").append(routerMac(k))
          .append(" netns ").append(router.name()).append('\n');
    }
    batch(client, c.toString());
    batch(router, "link add wan0 address " + WAN_MAC + " type veth peer name up0 address " + UP_MAC + " netns " + internet.name() + "\n");

    String len4 = "/" + plan.lan4().prefix();
    String len6 = "/" + plan.lan6().prefix();
    StringBuilder cl = new StringBuilder();
    StringBuilder ro = new StringBuilder();
    for (int k = 0; k < phys.size(); k++) {
      String dev = phys.get(k);
      String rdev = routerSide(k);
      boolean lan = k == 0;
      String c4 = lan ? plan.client4() + len4 : extra4(k, 2) + "/24";
      String r4 = lan ? plan.router4() + len4 : extra4(k, 1) + "/24";
      String c6 = lan ? plan.client6() + len6 : extra6(k, 2) + "/64";
      String r6 = lan ? plan.router6() + len6 : extra6(k, 1) + "/64";
      String gw4 = r4.substring(0, r4.indexOf('/'));
      String gw6 = r6.substring(0, r6.indexOf('/'));
      cl.append("link set ").append(dev).append(" up\n")
          .append("addr add ").append(c4).append(" dev ").append(dev).append('\n')
          .append("addr add ").append(c6).append(" dev ").append(dev).append(" nodad\n")
          .append("route add default via ").append(gw4).append(" dev ").append(dev).append(" metric ").append(k == 0 ? 0 : 100 + k).append('\n')
          .append("route add ::/0 via ").append(gw6).append(" dev ").append(dev).append(" metric ").append(k == 0 ? 1 : 100 + k).append('\n')
          .append("neigh replace ").append(gw4).append(" lladdr ").append(routerMac(k)).append(" dev ").append(dev).append(" nud permanent\n")
          .append("neigh replace ").append(gw6).append(" lladdr ").append(routerMac(k)).append(" dev ").append(dev).append(" nud permanent\n");
      ro.append("link set ").append(rdev).append(" up\n")
          .append("addr add ").append(r4).append(" dev ").append(rdev).append('\n')
          .append("addr add ").append(r6).append(" dev ").append(rdev).append(" nodad\n")
          .append("neigh replace ").append(c4, 0, c4.indexOf('/')).append(" lladdr ").append(clientMac(k)).append(" dev ").append(rdev).append(" nud permanent\n")
          .append("neigh replace ").append(c6, 0, c6.indexOf('/')).append(" lladdr ").append(clientMac(k)).append(" dev ").append(rdev).append(" nud permanent\n");
    }
    // LAN neighbours (and LocalNet's "local" hosts) answer at the router's MAC: no ARP/ND before a probe
    for (String a : List.of(plan.lanHost4(), plan.lanHost6(), plan.localnetRemote4(), plan.localnetRemote6())) {
      cl.append("neigh replace ").append(a).append(" lladdr ").append(routerMac(0)).append(" dev ").append(plan.uplink()).append(" nud permanent\n");
    }
    batch(client, cl.toString());
    ro.append("link set wan0 up\n")
        .append("addr add ").append(LabPlan.ROUTER_WAN4).append("/30 dev wan0\n")
        .append("addr add ").append(LabPlan.ROUTER_WAN6).append("/64 dev wan0 nodad\n")
        .append("neigh replace ").append(LabPlan.INTERNET4).append(" lladdr ").append(UP_MAC).append(" dev wan0 nud permanent\n")
        .append("neigh replace ").append(LabPlan.INTERNET6).append(" lladdr ").append(UP_MAC).append(" dev wan0 nud permanent\n")
        .append("route add default via ").append(LabPlan.INTERNET4).append('\n')
        .append("route add ::/0 via ").append(LabPlan.INTERNET6).append('\n')
        .append("route add ").append(plan.localnetRemote4()).append("/32 via ").append(LabPlan.INTERNET4).append('\n')
        .append("route add ").append(plan.localnetRemote6()).append("/128 via ").append(LabPlan.INTERNET6).append('\n');
    batch(router, ro.toString());
    StringBuilder in = new StringBuilder("link set up0 up\n")
        .append("addr add ").append(LabPlan.INTERNET4).append("/30 dev up0\n")
        .append("addr add ").append(LabPlan.INTERNET6).append("/64 dev up0 nodad\n")
        .append("neigh replace ").append(LabPlan.ROUTER_WAN4).append(" lladdr ").append(WAN_MAC).append(" dev up0 nud permanent\n")
        .append("neigh replace ").append(LabPlan.ROUTER_WAN6).append(" lladdr ").append(WAN_MAC).append(" dev up0 nud permanent\n")
        .append("route add ").append(plan.lan6()).append(" via ").append(LabPlan.ROUTER_WAN6).append('\n')
        .append("route add 2001:db8:e000::/36 via ").append(LabPlan.ROUTER_WAN6).append('\n');
    for (String a : internetAddresses()) {
      in.append("addr add ").append(a).append(a.contains(":") ? "/128" : "/32").append(" dev lo").append(a.contains(":") ? " nodad" : "").append('\n');
    }
    batch(internet, in.toString());
    sysctl(router, Map.of("net/ipv4/ip_forward", "1", "net/ipv6/conf/all/forwarding", "1"));
    restore(router, "iptables-restore", "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        + dnsRedirect(plan.router4(), LabPlan.ISP_DNS4)
        + "-A POSTROUTING -o wan0 -j MASQUERADE\nCOMMIT\n");
    restore(router, "ip6tables-restore", "*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
        + dnsRedirect(plan.router6(), LabPlan.ISP_DNS6) + "COMMIT\n");
  }

  /** The router's own resolver address forwards to the ISP's resolver, as a home router's does. */
  private static String dnsRedirect(String routerAddress, String resolver) {
    String to = resolver.contains(":") ? "[" + resolver + "]:53" : resolver + ":53";
    return "-A PREROUTING -i lan+ -d " + routerAddress + " -p udp --dport 53 -j DNAT --to-destination " + to + "\n"
        + "-A PREROUTING -i lan+ -d " + routerAddress + " -p tcp --dport 53 -j DNAT --to-destination " + to + "\n";
  }

  /** Every address the internet namespace answers on, besides its link and the VPN's tunnel. */
  List<String> internetAddresses() {
    List<String> a = new ArrayList<>(List.of(plan.server(), LabPlan.EXIT6, LabPlan.PUBLIC_DNS4, LabPlan.PUBLIC_DNS6,
        LabPlan.ISP_DNS4, LabPlan.ISP_DNS6,
        LabPlan.WEB4, LabPlan.WEB6, LabPlan.OTHER4, LabPlan.OTHER6, plan.localnetRemote4(), plan.localnetRemote6()));
    if (!plan.vpnDns().equals(LabPlan.TUNNEL_SERVER4) && !a.contains(plan.vpnDns())) a.add(plan.vpnDns());
    return a.stream().distinct().toList();
  }

  /** Applies sysctls, resolv.conf and the rules in the client; returns a note on the sysctls for the progress line. */
  private String configureClient(Optional<String> rulesV4, Optional<String> rulesV6, Sysctl sysctl) throws LabException {
    Map<String, String> applied = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> e : sysctl.values().entrySet()) {
      // only per-namespace network settings: anything else would change the host
      if (e.getKey().matches("net\\.ipv[46]\\.(conf\\.[A-Za-z0-9_+-]+\\.[a-z_0-9]+|ip_forward)")) {
        applied.put(e.getKey().replace('.', '/'), e.getValue());
      }
    }
    sysctl(client, applied);
    Exec.Result v6 = client.exec("cat", "/proc/sys/net/ipv6/conf/default/disable_ipv6", "/proc/sys/net/ipv6/conf/" + plan.uplink() + "/disable_ipv6");
    clientIpv6 = v6.ok() && !v6.stdout().contains("1");
    // a stub resolver's host names it alone, as systemd-resolved's resolv.conf does; else the LAN router, as DHCP would
    client.writeEtc("resolv.conf", plan.stub().map(s -> "nameserver " + s.address() + "\n")
        .orElse("nameserver " + plan.router4() + "\nnameserver " + plan.router6() + "\n"));
    if (rulesV4.isPresent()) loadRules("iptables-restore", rulesV4.get(), Family.IPV4);
    if (rulesV6.isPresent()) loadRules("ip6tables-restore", rulesV6.get(), Family.IPV6);
    int skipped = sysctl.values().size() - applied.size();
    if (sysctl.values().isEmpty()) return "";
    return "; sysctl: " + applied.size() + " network setting" + (applied.size() == 1 ? "" : "s") + " applied in the client"
        + (skipped > 0 ? ", " + skipped + " skipped (not per-namespace network settings: they would change the host)" : "");
  }

  private void loadRules(String command, String text, Family f) throws LabException {
    Exec.Result r = client.exec(text, 60_000, command);
    if (!r.ok()) throw new RulesRefusedException(command + " refused the " + f.label() + " rules: " + r.stderr().strip());
  }

  /** The addresses the services answer on: the web server's first, then every resolver's and the LocalNet hosts'. */
  private List<String> serviceArguments() {
    List<String> args = new ArrayList<>(List.of(LabPlan.WEB4, LabPlan.WEB6));
    for (String a : List.of(LabPlan.PUBLIC_DNS4, LabPlan.PUBLIC_DNS6, LabPlan.ISP_DNS4, LabPlan.ISP_DNS6, LabPlan.WEB4, LabPlan.WEB6, plan.vpnDns(),
        plan.localnetRemote4(), plan.localnetRemote6())) {
      if (!args.subList(2, args.size()).contains(a)) args.add(a);
    }
    return args;
  }

  /** Blackholes the path to the VPN server at the router, or opens it again. */
  void blackholeServer(boolean on) throws LabException {
    Exec.Result r = router.ipBatch("route " + (on ? "add" : "del") + " blackhole " + plan.server() + "/32\n");
    if (!r.ok()) throw new LabException("cannot change the route to the VPN server: " + r.firstLine());
  }

  /** Static neighbour entries on the client's LAN for addresses the probes will send to. */
  void neighbours(List<String> addresses) throws LabException {
    StringBuilder b = new StringBuilder();
    for (String a : addresses) {
      boolean onLan = LabPlan.inside(plan.lan4(), a) || (clientIpv6 && LabPlan.inside(plan.lan6(), a));
      if (onLan && !a.equals(plan.client4()) && !a.equals(plan.client6())) {
        b.append("neigh replace ").append(a).append(" lladdr ").append(routerMac(0)).append(" dev ").append(plan.uplink()).append(" nud permanent\n");
      }
    }
    if (b.length() > 0) batch(client, b.toString());
  }

  /** The interface the client's routing picks for an unmarked packet to each destination, if any. */
  Map<String, Optional<String>> routes(java.util.Collection<String> destinations) {
    return RouteLookup.devices(client, destinations, "");
  }

  private Netns own(Netns ns) {
    synchronized (namespaces) {
      namespaces.add(ns);
    }
    return ns;
  }

  static void batch(Netns ns, String lines) throws LabException {
    Exec.Result r = ns.ipBatch(lines);
    if (!r.ok()) throw new LabException("ip -batch in " + ns.name() + " failed: " + r.firstLine());
  }

  static void restore(Netns ns, String command, String text) throws LabException {
    Exec.Result r = ns.exec(text, 60_000, command);
    if (!r.ok()) throw new LabException(command + " in " + ns.name() + " failed: " + r.stderr().strip());
  }

  /** Writes /proc/sys/PATH = value inside the namespace; a setting that does not exist there is skipped. */
  static void sysctl(Netns ns, Map<String, String> values) throws LabException {
    if (values.isEmpty()) return;
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (!e.getKey().matches("[A-Za-z0-9_./+-]+") || !e.getValue().matches("[0-9A-Za-z .:-]*")) continue;
      s.append("[ -w /proc/sys/").append(e.getKey()).append(" ] && echo '").append(e.getValue().strip())
          .append("' > /proc/sys/").append(e.getKey()).append(";\n");
    }
    s.append("true\n");
    ns.execOrThrow("sh", "-c", s.toString());
  }

  /** No DAD, router solicitations or link-local addresses: the only packets on the wires are the lab's. */
  private static Netns quiet(Netns ns) throws LabException {
    ns.execOrThrow("sh", "-c", "for f in all default; do"
        + " echo 0 > /proc/sys/net/ipv6/conf/$f/accept_dad;"
        + " echo 0 > /proc/sys/net/ipv6/conf/$f/dad_transmits;"
        + " echo 0 > /proc/sys/net/ipv6/conf/$f/router_solicitations;"
        + " echo 0 > /proc/sys/net/ipv6/conf/$f/accept_ra;"
        + " echo 1 > /proc/sys/net/ipv6/conf/$f/addr_gen_mode; done");
    return ns;
  }

  @Override
  public void close() {
    if (vpn != null) vpn.close();
    if (prober != null) prober.close();
    for (LabProcess p : processes) p.close();
    for (int i = namespaces.size() - 1; i >= 0; i--) namespaces.get(i).close();
    scratch.close();
  }
}
