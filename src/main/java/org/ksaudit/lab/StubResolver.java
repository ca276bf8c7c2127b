package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The local stub resolver of a systemd-resolved host, reproduced in the client: dnsmasq
 * listening on the stub's address (127.0.0.53), answering from nothing of its own and
 * forwarding every query to the VPN DNS, as the uid and gid the rules let DNS out for. Its
 * upstream sockets are its own, so {@code -m owner} sees that uid on every forwarded query.
 * A non-root dnsmasq keeps the identity it was started with; as root it would switch to
 * "nobody", so it is told to stay root.
 */
final class StubResolver {
  /** The uid a stub runs as when the rules single out only a gid: any uid but root's does, and nobody's is everyone's. */
  private static final long NOBODY = 65534;

  private StubResolver() {}

  /** Starts the stub in the client and waits until it serves. */
  static LabProcess start(Lab lab, LocalStub stub) throws LabException {
    List<String> cmd = new ArrayList<>(identityPrefix(stub));
    long uid = uid(stub);
    cmd.addAll(List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
        "--no-poll", "--cache-size=0", "--listen-address=" + stub.address(), "--bind-interfaces", "--pid-file=",
        "--server=" + lab.plan().vpnDns()));
    if (uid == 0) cmd.add("--user=root");
    if (uid == 0 && stub.gid().orElse(0L) == 0) cmd.add("--group=root");
    LabProcess p = lab.start("stub-resolver", lab.client(), cmd);
    if (!p.awaitLog(l -> l.contains("using nameserver"), 10_000)) {
      String tail = p.logTail(5);
      p.kill();
      throw new LabException("the local stub resolver (dnsmasq at " + stub.address() + ") did not start: " + tail);
    }
    return p;
  }

  /** How the report names the stub's identity: {@code " as uid 991"}, or nothing for root. */
  static String identity(LocalStub stub) {
    long uid = uid(stub);
    long gid = stub.gid().orElse(0L);
    return (uid == 0 ? "" : " as uid " + uid) + (gid == 0 ? "" : " gid " + gid);
  }

  private static long uid(LocalStub stub) {
    return stub.uid().orElse(stub.gid().filter(g -> g != 0).map(g -> NOBODY).orElse(0L));
  }

  /**
   * setpriv to the stub's identity, keeping the one capability it needs as ambient
   * (CAP_NET_BIND_SERVICE, for port 53); empty for root.
   */
  private static List<String> identityPrefix(LocalStub stub) {
    long uid = uid(stub);
    long gid = stub.gid().orElse(0L);
    if (uid == 0 && gid == 0) return List.of();
    List<String> p = new ArrayList<>(List.of("setpriv", "--reuid", Long.toString(uid), "--regid", Long.toString(gid), "--clear-groups"));
    if (uid != 0) p.addAll(List.of("--inh-caps", "+net_bind_service", "--ambient-caps", "+net_bind_service"));
    return p;
  }

  /** Whether running this stub takes setpriv. */
  static boolean needsSetpriv(LocalStub stub) {
    return !identityPrefix(stub).isEmpty();
  }
}
