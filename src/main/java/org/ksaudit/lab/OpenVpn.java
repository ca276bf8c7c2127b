package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Real OpenVPN (Debian's openvpn): TLS with self-signed certificates pinned by
 * {@code --peer-fingerprint}, point-to-point addresses, {@code --redirect-gateway def1} and
 * IPv6 routes through the tunnel when the client has IPv6. The server SNATs tunnelled traffic
 * to its own address, so services see the VPN's exit address.
 */
final class OpenVpn implements Vpn {
  private static final String SERVER_DEV = "vpns0";
  private static final String COMPLETED = "Initialization Sequence Completed";
  private int serverRuns;
  private int clientRuns;
  private final Lab lab;
  private LabProcess server;
  private LabProcess client;
  private String serverFingerprint;
  private String clientFingerprint;

  OpenVpn(Lab lab) {
    this.lab = lab;
  }

  @Override
  public void startServer() throws LabException {
    serverFingerprint = certificate("server");
    clientFingerprint = certificate("client");
    Wiring.installExitNat(lab, SERVER_DEV);
    launchServer();
  }

  /** A fresh server per client run: a p2p server still holding the killed client's session would drop the new one's first packets. */
  private void launchServer() throws LabException {
    if (server != null) server.kill();
    Wiring.awaitGone(lab.internet(), SERVER_DEV);
    LabPlan p = lab.plan();
    List<String> cmd = new ArrayList<>(List.of("openvpn", "--dev", SERVER_DEV, "--dev-type", "tun",
        "--local", p.server(), "--lport", Integer.toString(p.port()),
        "--proto", p.proto().equals("tcp") ? "tcp-server" : "udp",
        "--ifconfig", LabPlan.TUNNEL_SERVER4, LabPlan.TUNNEL_CLIENT4,
        "--ifconfig-ipv6", LabPlan.TUNNEL_SERVER6 + "/64", LabPlan.TUNNEL_CLIENT6,
        "--tls-server", "--dh", "none",
        "--cert", lab.scratch().resolve("server.crt").toString(), "--key", lab.scratch().resolve("server.key").toString(),
        "--peer-fingerprint", clientFingerprint,
        "--float", "--keepalive", "2", "20", "--verb", "3"));
    server = lab.start("openvpn-server-" + (++serverRuns), lab.internet(), cmd);
    String bound = p.proto().equals("tcp") ? "Listening for incoming TCP connection" : "link local (bound)";
    if (!server.awaitLog(l -> l.contains(bound), 10_000)) {
      throw new LabException("the OpenVPN server did not start: " + server.logTail(5));
    }
  }

  @Override
  public boolean startClient(long timeoutMillis, Carried carried) throws LabException {
    LabPlan p = lab.plan();
    List<String> cmd = new ArrayList<>(List.of("openvpn", "--dev", p.tunnelInterface(), "--dev-type", "tun",
        "--remote", p.server(), Integer.toString(p.port()),
        "--proto", p.proto().equals("tcp") ? "tcp-client" : "udp", "--nobind",
        "--ifconfig", LabPlan.TUNNEL_CLIENT4, LabPlan.TUNNEL_SERVER4,
        "--tls-client",
        "--cert", lab.scratch().resolve("client.crt").toString(), "--key", lab.scratch().resolve("client.key").toString(),
        "--peer-fingerprint", serverFingerprint,
        "--route-gateway", LabPlan.TUNNEL_SERVER4, "--redirect-gateway", "def1",
        "--persist-tun", "--keepalive", "2", "20", "--connect-retry", "1", "--verb", "3"));
    if (lab.clientIpv6() && carried == Carried.BOTH) {
      cmd.addAll(List.of("--ifconfig-ipv6", LabPlan.TUNNEL_CLIENT6 + "/64", LabPlan.TUNNEL_SERVER6,
          "--route-ipv6", "::/1", "--route-ipv6", "8000::/1"));
    }
    if (clientRuns > 0) launchServer();
    client = lab.start("openvpn-client-" + (++clientRuns), lab.client(), cmd);
    long t0 = System.currentTimeMillis();
    boolean up = client.awaitLog(l -> l.contains(COMPLETED) || Wiring.blocked(l), timeoutMillis) && client.logText().contains(COMPLETED);
    // the client may finish first; data flows once the server has completed its side too
    return up && server.awaitLog(l -> l.contains(COMPLETED), Math.max(1_000, timeoutMillis - (System.currentTimeMillis() - t0)));
  }

  @Override
  public void killClient() throws LabException {
    if (client == null) return;
    client.kill();
    client = null;
    Wiring.awaitGone(lab.client(), lab.plan().tunnelInterface());
  }

  @Override
  public void stopClient() throws LabException {
    if (client == null) return;
    client.terminate(5_000);
    client = null;
    Wiring.awaitGone(lab.client(), lab.plan().tunnelInterface());
  }

  @Override
  public String serverInterface() {
    return SERVER_DEV;
  }

  @Override
  public String clientLogTail() {
    return client == null ? "" : client.logTail(8);
  }

  @Override
  public Optional<String> failure() {
    if (client == null) return Optional.empty();
    return client.death("the OpenVPN client").or(() -> server.death("the OpenVPN server"));
  }

  /** A self-signed P-256 certificate and key in the scratch directory; returns its SHA-256 fingerprint. */
  private String certificate(String name) throws LabException {
    String key = lab.scratch().resolve(name + ".key").toString();
    String crt = lab.scratch().resolve(name + ".crt").toString();
    Exec.Result r = Exec.run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
        "-keyout", key, "-out", crt, "-days", "2", "-nodes", "-subj", "/CN=ksaudit-lab-" + name), null, 30_000);
    if (!r.ok()) throw new LabException("openssl could not make a certificate: " + r.firstLine());
    Exec.Result fp = Exec.run(List.of("openssl", "x509", "-in", crt, "-noout", "-fingerprint", "-sha256"), null, 30_000);
    if (!fp.ok() || !fp.stdout().contains("=")) throw new LabException("openssl could not read a fingerprint: " + fp.firstLine());
    return fp.stdout().strip().substring(fp.stdout().strip().indexOf('=') + 1);
  }

  @Override
  public void close() {
    if (client != null) client.close();
    if (server != null) server.close();
  }
}
