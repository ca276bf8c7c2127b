package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ksaudit.check.OpenConnectionKernelTest.add;
import static org.ksaudit.check.OpenConnectionKernelTest.counter;
import static org.ksaudit.check.OpenConnectionKernelTest.mac;
import static org.ksaudit.check.OpenConnectionKernelTest.ok;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.Netns;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Host;

/**
 * The kernel as the oracle for TEE copies: a client whose route goes through tun0 (a veth to
 * a silent namespace) sends one UDP datagram; a mangle TEE rule copies it to a gateway on
 * eth0, whose namespace counts what arrives. The copy crosses filter OUTPUT in state
 * UNTRACKED: it arrives only when a rule accepts that, and the audit must report a TEE-copy
 * leak exactly then.
 */
class TeeCopyKernelTest {
  private static final String CLIENT = "192.0.2.1";
  private static final String GATEWAY = "192.0.2.2";
  private static final int DPORT = 9999;

  @Test
  void copiesLeakExactlyWhereTheAuditSaysSo() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "iptables-nft-save", "python3");
    Map<String, String> variants = Map.of(
        "untracked-accepted", "-A OUTPUT -o eth0 -m conntrack --ctstate UNTRACKED -j ACCEPT\n",
        "untracked-refused", "-A OUTPUT -o eth0 -m conntrack --ctstate NEW,ESTABLISHED -j DROP\n");
    for (Map.Entry<String, String> v : variants.entrySet()) {
      String text = TeeCopyLeakTest.MANGLE.replace("--gateway 192.0.2.2", "--gateway " + GATEWAY)
          + TeeCopyLeakTest.FILTER + v.getValue() + "COMMIT\n";
      Ruleset rs = RulesetParser.parse(v.getKey() + ".v4", text, Family.IPV4).ruleset();
      int arrived = run(text);
      List<Finding> copies = TeeCopyLeakTest.copies(rs);
      assertEquals(arrived > 0, !copies.isEmpty(), v.getKey() + ": the kernel delivered " + arrived + " copies; audit: " + copies);
      assertEquals(v.getKey().equals("untracked-accepted"), arrived > 0, v.getKey() + ": arrivals " + arrived);
    }
  }

  /** Copies counted at the gateway behind eth0. */
  private static int run(String rules) throws LabException {
    List<Netns> made = new ArrayList<>();
    try {
      Netns client = add(made, "teec");
      Netns gw = add(made, "teeg");
      Netns vpn = add(made, "teev");
      ok(Exec.run("ip", "link", "add", "eth0", "netns", client.name(), "type", "veth", "peer", "name", "gw0", "netns", gw.name()));
      ok(Exec.run("ip", "link", "add", "tun0", "netns", client.name(), "type", "veth", "peer", "name", "tunp", "netns", vpn.name()));
      String tunpMac = mac(vpn, "tunp");
      ok(gw.ipBatch("link set gw0 up\naddr add " + GATEWAY + "/24 dev gw0\n"));
      ok(vpn.ipBatch("link set tunp up\n"));
      ok(client.ipBatch("link set lo up\nlink set eth0 up\nlink set tun0 up\naddr add " + CLIENT + "/24 dev eth0\n"
          + "addr add 10.8.0.2/24 dev tun0\nroute add default via 10.8.0.1 dev tun0\n"
          + "neigh replace 10.8.0.1 lladdr " + tunpMac + " dev tun0 nud permanent\n"));
      ok(gw.exec("*raw\n:PREROUTING ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n-A PREROUTING -i gw0 -p udp -m udp --dport " + DPORT
          + " -m comment --comment arrived\nCOMMIT\n", 10_000, "iptables-nft-restore"));
      ok(client.exec(rules, 10_000, "iptables-nft-restore"));
      ok(client.exec(null, 10_000, "python3", "-c", """
          import socket, time
          s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
          s.sendto(b'copied by TEE', ('198.51.100.7', %d))
          time.sleep(0.3)
          """.formatted(DPORT)));
      return counter(gw, "raw", "arrived");
    } finally {
      for (Netns n : made) n.close();
    }
  }
}
