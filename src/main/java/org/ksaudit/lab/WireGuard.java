package org.ksaudit.lab;

import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * WireGuard with Debian's wireguard-go and wg (this kernel has no wireguard module), the
 * client routed as wg-quick does it: fwmark 51820 on the tunnel's own packets, a default
 * route in table 51820, {@code not fwmark 51820 lookup 51820} and
 * {@code lookup main suppress_prefixlength 0}.
 *
 * <p>wireguard-go's control socket lives in /var/run/wireguard, shared by all namespaces, so
 * each wireguard-go runs under a private tmpfs on /run inside the mount namespace that
 * {@code ip netns exec} gives it: neither the host's nor another lab's sockets are touched.
 */
final class WireGuard implements Vpn {
  static final int FWMARK = 51820;
  private static final String HANDSHAKE = "Received handshake response";
  private static final String SERVER_DEV = "wgs0";
  private static final Pattern READY = Pattern.compile("(?m)^READY$");
  private static final Pattern DAEMON = Pattern.compile("(?m)^wireguard-go pid (\\d+)$");
  private static final Pattern DAEMON_END = Pattern.compile("(?m)^wireguard-go ended with status (\\d+)$");
  private final Lab lab;
  private LabProcess server;
  private LabProcess client;
  private int clientRuns;
  private String serverPublic;
  private String clientPublic;

  WireGuard(Lab lab) {
    this.lab = lab;
  }

  @Override
  public void startServer() throws LabException {
    serverPublic = keyPair("server");
    clientPublic = keyPair("client");
    LabPlan p = lab.plan();
    Wiring.installExitNat(lab, SERVER_DEV);
    String script = daemon(SERVER_DEV)
        + "wg set " + SERVER_DEV + " listen-port " + p.port() + " private-key " + key("server")
        + " peer " + clientPublic + " allowed-ips " + LabPlan.TUNNEL_CLIENT4 + "/32," + LabPlan.TUNNEL_CLIENT6 + "/128\n"
        + "ip addr add " + LabPlan.TUNNEL_SERVER4 + "/32 dev " + SERVER_DEV + "\n"
        + "ip addr add " + LabPlan.TUNNEL_SERVER6 + "/128 dev " + SERVER_DEV + " nodad\n"
        + "ip link set " + SERVER_DEV + " up\n"
        + "ip route add " + LabPlan.TUNNEL_CLIENT4 + "/32 dev " + SERVER_DEV + "\n"
        + "ip route add " + LabPlan.TUNNEL_CLIENT6 + "/128 dev " + SERVER_DEV + "\n"
        + "echo READY\nwait $pid\n";
    server = lab.start("wireguard-server", lab.internet(), List.of("sh", "-c", script));
    if (!server.awaitLog(l -> READY.matcher(l).find(), 10_000)) {
      throw new LabException("the WireGuard server did not start: " + server.logTail(5));
    }
  }

  @Override
  public boolean startClient(long timeoutMillis, Carried carried) throws LabException {
    LabPlan p = lab.plan();
    String dev = p.tunnelInterface();
    StringBuilder s = new StringBuilder(daemon(dev));
    s.append("wg set ").append(dev).append(" fwmark ").append(FWMARK).append(" private-key ").append(key("client"))
        .append(" peer ").append(serverPublic).append(" endpoint ").append(p.server()).append(':').append(p.port())
        .append(" allowed-ips ").append(carried == Carried.BOTH ? "0.0.0.0/0,::/0" : "0.0.0.0/0").append(" persistent-keepalive 1\n")
        .append("ip addr add ").append(LabPlan.TUNNEL_CLIENT4).append("/32 dev ").append(dev).append('\n');
    boolean v6 = lab.clientIpv6() && carried == Carried.BOTH;
    if (v6) s.append("ip addr add ").append(LabPlan.TUNNEL_CLIENT6).append("/128 dev ").append(dev).append(" nodad\n");
    s.append("ip link set ").append(dev).append(" up\n");
    for (String fam : families(v6)) {
      // what wg-quick does for a default route: the tunnel's own (marked) packets use main, the rest the tunnel
      s.append("while ip ").append(fam).append(" rule del not fwmark ").append(FWMARK).append(" table ").append(FWMARK).append(" 2>/dev/null; do :; done\n")
          .append("while ip ").append(fam).append(" rule del table main suppress_prefixlength 0 2>/dev/null; do :; done\n")
          .append("ip ").append(fam).append(" route add ").append(fam.equals("-4") ? "0.0.0.0/0" : "::/0").append(" dev ").append(dev)
          .append(" table ").append(FWMARK).append('\n')
          .append("ip ").append(fam).append(" rule add not fwmark ").append(FWMARK).append(" table ").append(FWMARK).append('\n')
          .append("ip ").append(fam).append(" rule add table main suppress_prefixlength 0\n");
    }
    s.append("echo 1 > /proc/sys/net/ipv4/conf/all/src_valid_mark\n")
        .append("echo READY\nwait $pid\n");
    client = lab.start("wireguard-client-" + (++clientRuns), lab.client(), List.of("sh", "-c", s.toString()));
    if (!client.awaitLog(l -> READY.matcher(l).find(), 10_000)) {
      // a client that ended is a VPN that failed, told by failure(); one still setting up after 10 s is a stuck lab
      if (!client.alive()) return false;
      throw new LabException("the WireGuard client did not start within 10 s: " + client.logTail(5));
    }
    return client.awaitLog(l -> l.contains(HANDSHAKE) || Wiring.blocked(l), timeoutMillis) && client.logText().contains(HANDSHAKE);
  }

  /** Starts wireguard-go for {@code dev} in the foreground under a private /run; $pid is its process. */
  private static String daemon(String dev) {
    return "set -e\nmount -t tmpfs -o mode=0755 tmpfs /run\nmkdir -p /run/wireguard\n"
        + "LOG_LEVEL=verbose WG_PROCESS_FOREGROUND=1 wireguard-go -f " + dev + " &\npid=$!\necho wireguard-go pid $pid\n"
        // however the script ends, a daemon that has ended leaves its status in the log; a killed
        // daemon may still be a zombie here, which kill -0 would take for alive: its state says
        + "trap 'st=gone; { read -r _ _ st _ < /proc/$pid/stat; } 2>/dev/null || :;"
        + " if [ \"$st\" = gone ] || [ \"$st\" = Z ]; then wait $pid && s=0 || s=$?; echo \"wireguard-go ended with status $s\"; fi' EXIT\n"
        // until its socket is there; a daemon that ended ends the script with its status (set -e)
        + "i=0; while [ ! -S /run/wireguard/" + dev + ".sock ]; do kill -0 $pid 2>/dev/null || wait $pid;"
        + " i=$((i+1)); [ $i -gt 400 ] && exit 1; sleep 0.025; done\n";
  }

  @Override
  public void killClient() throws LabException {
    if (client == null) return;
    killDaemon();
    Wiring.awaitGone(lab.client(), lab.plan().tunnelInterface());
    client.kill();
    client = null;
  }

  /**
   * What wg-quick down does for a userspace WireGuard: the policy rules go, then the daemon is
   * told to end (wg-quick removes its socket; SIGTERM here) and takes its device with it.
   */
  @Override
  public void stopClient() throws LabException {
    if (client == null) return;
    StringBuilder s = new StringBuilder();
    for (String fam : families(lab.clientIpv6())) {
      s.append("while ip ").append(fam).append(" rule del not fwmark ").append(FWMARK).append(" table ").append(FWMARK).append(" 2>/dev/null; do :; done\n")
          .append("while ip ").append(fam).append(" rule del table main suppress_prefixlength 0 2>/dev/null; do :; done\n");
    }
    lab.client().execOrThrow("sh", "-c", s.toString());
    long daemon = clientDaemon();
    if (daemon > 0) ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroy);
    Wiring.awaitGone(lab.client(), lab.plan().tunnelInterface());
    client.kill();
    client = null;
  }

  private static List<String> families(boolean ipv6) {
    return ipv6 ? List.of("-4", "-6") : List.of("-4");
  }

  @Override
  public String serverInterface() {
    return SERVER_DEV;
  }

  @Override
  public String clientLogTail() {
    return client == null ? "" : client.logTail(8);
  }

  /**
   * The client's shell waits for its wireguard-go and ends with its status, so a dead daemon
   * shows as a dead shell a moment later.
   */
  @Override
  public Optional<String> failure() throws LabException {
    if (client == null) return Optional.empty();
    long daemon = clientDaemon();
    boolean daemonGone = daemon > 0 && !ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false);
    if (!daemonGone) return client.death("the WireGuard client").or(() -> server.death("the WireGuard server"));
    client.awaitEnd(1_000);
    Matcher end = DAEMON_END.matcher(client.logText());
    String how = end.find() ? LabProcess.endedWith(Integer.parseInt(end.group(1))) : "is gone";
    return client.death("the WireGuard client's wireguard-go (pid " + daemon + ") " + how + "; its script")
        .or(() -> server.death("the WireGuard server"));
  }

  private void killDaemon() {
    long daemon = clientDaemon();
    if (daemon > 0) ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
  }

  /** The client's wireguard-go as its script announced it at start; -1 before that. */
  private long clientDaemon() {
    if (client == null) return -1;
    Matcher m = DAEMON.matcher(client.logText());
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  private String key(String name) {
    return lab.scratch().resolve(name + ".wgkey").toString();
  }

  /** Writes NAME.wgkey (private, mode 600) and returns the public key. */
  private String keyPair(String name) throws LabException {
    Exec.Result priv = Exec.run(List.of("wg", "genkey"), null, 10_000);
    if (!priv.ok()) throw new LabException("wg genkey failed: " + priv.firstLine());
    try {
      var f = lab.scratch().write(name + ".wgkey", priv.stdout().strip() + "\n");
      Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    } catch (java.io.IOException e) {
      throw new LabException("cannot protect the WireGuard key: " + e.getMessage());
    }
    Exec.Result pub = Exec.run(List.of("wg", "pubkey"), priv.stdout(), 10_000);
    if (!pub.ok()) throw new LabException("wg pubkey failed: " + pub.firstLine());
    return pub.stdout().strip();
  }

  @Override
  public void close() {
    killDaemon();
    if (client != null) client.close();
    if (server != null) server.close();
  }
}
