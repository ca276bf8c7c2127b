package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.Packet;
import org.ksaudit.analysis.Tracer;
import org.ksaudit.analysis.Verdict;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.Netns;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;
import org.ksaudit.testsupport.Host;

/**
 * The kernel as the oracle for the open-connection finding: a UDP flow gets its conntrack
 * entry (with a reply, so ESTABLISHED) while its route goes through tun0 (a veth to a "VPN"
 * namespace that answers); then tun0 is deleted, the same socket sends again, the kernel
 * routes the packet out of eth0, and the "LAN" namespace behind eth0 counts what arrives.
 * With established-anywhere.v4 the packet arrives; with established-tunnel-only.v4 it does
 * not; with nordvpn-connmark.v4 it does not either, because the rule that lets connections out
 * of eth0 tests connection mark 0xe1f1 and nothing marked this ordinary connection. The
 * audit's finding and the trace of that very packet must say the same.
 */
class OpenConnectionKernelTest {
  private static final String CLIENT = "192.0.2.2";
  private static final String GATEWAY = "192.0.2.1";
  private static final String SERVICE = "203.0.113.10";
  private static final int SPORT = 40000;
  private static final int DPORT = 5000;

  /** What the kernel did with the flow's packet after the tunnel was gone. */
  record Observed(boolean replyBeforeTunnelLoss, int establishedOutEth0, int arrivedBehindEth0, String clientLog) {}

  @Test
  void leaksExactlyWhereTheAuditSaysSo() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "iptables-nft-save", "iptables-nft", "python3");
    // the stated outcome of each fixture: whether that packet leaks
    Map<String, Boolean> leaks = new LinkedHashMap<>();
    leaks.put("established-anywhere", true);
    leaks.put("established-tunnel-only", false);
    leaks.put("nordvpn-connmark", false);
    for (String name : leaks.keySet()) {
      Path file = Path.of("testdata/killswitches/" + name + ".v4");
      String rules = Files.readString(file);
      Observed o = run(rules);
      assertTrue(o.replyBeforeTunnelLoss(), name + ": the flow got no reply through tun0: " + o);
      assertEquals(1, o.establishedOutEth0(), name + ": the packet after the tunnel loss was not ESTABLISHED out of eth0: " + o);
      boolean kernelLeaks = o.arrivedBehindEth0() > 0;

      Fixtures.Pair pair = Fixtures.pairs().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
      List<Finding> open = KillswitchAudit.audit(List.of(pair.rulesets().get(0)), pair.options()).stream()
          .filter(f -> f.kind() == FindingKind.OPEN_CONNECTION).toList();
      Packet p = Packet.outgoing(Family.IPV4, "udp", IpText.parse(Family.IPV4, CLIENT).orElseThrow(),
          IpText.parse(Family.IPV4, SERVICE).orElseThrow(), SPORT, DPORT, "eth0").withState(ConnState.ESTABLISHED);
      Tracer.Traced t = new Tracer(Optional.of(pair.rulesets().get(0)), List.of("eth0")).trace(p);

      assertEquals(kernelLeaks, !open.isEmpty(), name + ": kernel " + (kernelLeaks ? "leaked" : "stopped it") + ", audit: " + open);
      assertEquals(kernelLeaks ? Verdict.ACCEPT : Verdict.DROP, t.verdict(), name + ": " + t.steps());
      if (kernelLeaks) {
        assertEquals(1, open.size(), open.toString());
        assertEquals(open.get(0).line().orElseThrow(), t.steps().get(t.steps().size() - 1).line(), "the finding points at the rule that let it out");
      }
      assertEquals(leaks.get(name), kernelLeaks, name + ": " + o);
    }
  }

  private static Observed run(String rules) throws LabException, java.io.IOException {
    List<Netns> made = new ArrayList<>();
    Process responder = null;
    try {
      Netns client = add(made, "estc");
      Netns lan = add(made, "estl");
      Netns vpn = add(made, "estv");
      ok(Exec.run("ip", "link", "add", "eth0", "netns", client.name(), "type", "veth", "peer", "name", "lan0", "netns", lan.name()));
      ok(Exec.run("ip", "link", "add", "tun0", "netns", client.name(), "type", "veth", "peer", "name", "tunp", "netns", vpn.name()));
      String lanMac = mac(lan, "lan0");
      String tunpMac = mac(vpn, "tunp");
      String tunMac = mac(client, "tun0");
      ok(lan.ipBatch("link set lan0 up\naddr add " + GATEWAY + "/24 dev lan0\n"));
      ok(vpn.ipBatch("link set tunp up\naddr add 10.8.0.1/24 dev tunp\naddr add " + SERVICE + "/32 dev lo\n"
          + "route add " + CLIENT + "/32 dev tunp\nneigh replace " + CLIENT + " lladdr " + tunMac + " dev tunp nud permanent\n"));
      ok(client.ipBatch("link set eth0 up\nlink set tun0 up\naddr add " + CLIENT + "/24 dev eth0\naddr add 10.8.0.2/24 dev tun0\n"
          + "route add default via " + GATEWAY + " dev eth0 metric 100\n"
          + "neigh replace " + GATEWAY + " lladdr " + lanMac + " dev eth0 nud permanent\n"
          + "route add " + SERVICE + "/32 dev tun0\n"
          + "neigh replace " + SERVICE + " lladdr " + tunpMac + " dev tun0 nud permanent\n"));
      ok(lan.exec("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -i lan0 -s " + CLIENT + " -d " + SERVICE
          + " -p udp -m udp --dport " + DPORT + " -m comment --comment arrived\nCOMMIT\n", 10_000, "iptables-nft-restore"));
      ok(client.exec(rules, 10_000, "iptables-nft-restore"));
      // what the kernel itself says about the packet after the loss: its conntrack state and interface (mangle runs before filter)
      ok(client.exec("iptables-nft", "-t", "mangle", "-A", "OUTPUT", "-o", "eth0", "-p", "udp", "--dport", String.valueOf(DPORT),
          "-m", "conntrack", "--ctstate", "ESTABLISHED", "-m", "comment", "--comment", "established-out-eth0"));

      responder = new ProcessBuilder("ip", "netns", "exec", vpn.name(), "python3", "-c", """
          import socket
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.bind(('%s', %d))
          while True:
              d, a = s.recvfrom(100)
              s.sendto(d, a)
          """.formatted(SERVICE, DPORT)).redirectErrorStream(true).start();

      Exec.Result c = client.exec(null, 20_000, "python3", "-c", """
          import socket, subprocess
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.bind(('%s', %d))
          s.connect(('%s', %d))
          s.settimeout(0.2)
          got = False
          for i in range(50):
              s.send(b'through the tunnel')
              try:
                  s.recv(100)
                  got = True
                  break
              except OSError:
                  pass
          print('reply' if got else 'no reply')
          subprocess.run(['ip', 'link', 'del', 'tun0'], check=True)
          try:
              s.send(b'after the tunnel is gone')
              print('sent')
          except OSError as e:
              print('refused', e.errno)
          """.formatted(CLIENT, SPORT, SERVICE, DPORT));
      ok(c);
      return new Observed(c.stdout().contains("reply\n") && !c.stdout().contains("no reply"),
          counter(client, "mangle", "established-out-eth0"), counter(lan, "raw", "arrived"), c.stdout().strip());
    } finally {
      if (responder != null) responder.destroyForcibly();
      for (Netns n : made) n.close();
    }
  }

  static Netns add(List<Netns> made, String role) throws LabException {
    Netns n = Netns.create(role);
    made.add(n);
    return n;
  }

  static void ok(Exec.Result r) throws LabException {
    if (!r.ok()) throw new LabException("lab step failed: " + r.firstLine());
  }

  static String mac(Netns ns, String dev) throws LabException {
    Exec.Result r = ns.execOrThrow("cat", "/sys/class/net/" + dev + "/address");
    return r.stdout().strip();
  }

  /** Packets counted by the rule with this comment (iptables-save -c prints [packets:bytes] first). */
  static int counter(Netns ns, String table, String comment) throws LabException {
    Exec.Result r = ns.execOrThrow("iptables-nft-save", "-c", "-t", table);
    for (String line : r.stdout().split("\n")) {
      if (line.contains("--comment " + comment) && line.startsWith("[")) {
        return Integer.parseInt(line.substring(1, line.indexOf(':')));
      }
    }
    throw new LabException("no counter " + comment + " in " + ns.name() + ":\n" + r.stdout());
  }
}
