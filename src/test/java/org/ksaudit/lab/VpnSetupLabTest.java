package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ksaudit.testsupport.Host;

/**
 * The VPN the rules were written for, read from the rules alone and from the VPN's config:
 * a wg-quick killswitch, an OpenVPN-over-TCP-443 killswitch, an owner-based (uid 1194)
 * killswitch and a systemd-resolved host's (DNS only through the stub at 127.0.0.53, out for
 * the resolver's uid 991 through the tunnel, the VPN through wlan0 as uid 0) each keep a
 * working baseline with no analysis disagreement; a killswitch that
 * refuses DNS names the rule that breaks the VPN. Baseline only: the other scenarios are
 * ProbeLabTest's.
 */
class VpnSetupLabTest {
  @BeforeAll
  static void requireLab() {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "python3", "openvpn", "openssl", "wireguard-go", "wg", "setpriv");
  }

  private static final String[][] WORKING = {
    {"testdata/lab/wgquick-fwmark.v4", "testdata/lab/wgquick-fwmark.v6"},
    {"--vpn-config", "testdata/vpnconfig/wg0.conf", "testdata/lab/wgquick-fwmark.v4", "testdata/lab/wgquick-fwmark.v6"},
    {"testdata/lab/openvpn-tcp443.v4", "testdata/lab/drop-all.v6"},
    {"--vpn-config", "testdata/vpnconfig/tcp443.ovpn", "testdata/lab/openvpn-tcp443.v4", "testdata/lab/drop-all.v6"},
    {"testdata/lab/owner-uid.v4", "testdata/lab/drop-all.v6"},
    {"--vpn-config", "testdata/vpnconfig/owner-client.ovpn", "testdata/lab/owner-uid.v4", "testdata/lab/drop-all.v6"},
    {"testdata/killswitches/resolved-stub.v4", "testdata/killswitches/resolved-stub.v6"},
  };

  static ProbeLabTest.Run baseline(String... args) {
    List<String> a = new ArrayList<>(List.of("--scenario", "baseline"));
    a.addAll(List.of(args));
    return ProbeLabTest.probe(a.toArray(String[]::new));
  }

  @Test
  void theBaselineWorksFromTheRulesAloneAndFromAConfig() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<String>> results = new ArrayList<>();
    for (String[] c : WORKING) {
      results.add(pool.submit(() -> {
        ProbeLabTest.Run r = baseline(c);
        String where = String.join(" ", c) + ": ";
        if (!r.baseline().get("works").booleanValue()) return where + "baseline " + r.baseline() + "\n" + r.stderr();
        if (r.disagreements() != 0) return where + r.describeLeaks();
        if (r.exit() != 0) return where + "exit " + r.exit() + "\n" + r.stderr();
        return "";
      }));
    }
    List<String> problems = new ArrayList<>();
    try {
      for (Future<String> f : results) if (!f.get().isEmpty()) problems.add(f.get());
    } finally {
      pool.shutdown();
    }
    assertEquals(List.of(), problems);
    // the setup came from where the report says: the rules' line, or the config's
    List<String> fromRules = notes(baseline(WORKING[2]));
    assertTrue(fromRules.contains("VPN server 198.51.100.44:443/tcp (rules testdata/lab/openvpn-tcp443.v4:11)"), fromRules.toString());
    assertTrue(fromRules.contains("tunnel interface tun1 (rules testdata/lab/openvpn-tcp443.v4:10)"), fromRules.toString());
    List<String> fromConfig = notes(baseline(WORKING[3]));
    assertTrue(fromConfig.contains("VPN server 198.51.100.44:443/tcp (config testdata/vpnconfig/tcp443.ovpn:10)"), fromConfig.toString());
    List<String> owner = notes(baseline(WORKING[4]));
    assertTrue(owner.contains("the VPN client runs as uid 1194 (rules testdata/lab/owner-uid.v4:11)"), owner.toString());
    ProbeLabTest.Run resolved = baseline(WORKING[6]);
    List<String> stub = notes(resolved);
    assertTrue(stub.contains("uplink wlan0 (rules testdata/killswitches/resolved-stub.v4:20)"), stub.toString());
    assertTrue(stub.stream().anyMatch(n -> n.startsWith("the rules send DNS through a local stub resolver at 127.0.0.53")
        && n.contains("the lab runs one there (dnsmasq as uid 991)")), stub.toString());
    // the baseline's DNS went through the stub, whose query (as uid 991) reached the VPN resolver through the tunnel
    assertTrue(resolved.probes("baseline").stream().anyMatch(p -> ProbeLabTest.text(p, "dst").equals("127.0.0.53")
        && ProbeLabTest.text(p, "proto").equals("udp") && ProbeLabTest.text(p, "internet").equals("tunnel")), resolved.describeLeaks());
  }

  @Test
  void aKillswitchThatRefusesDnsNamesTheRuleThatBreaksTheVpn() {
    ProbeLabTest.Run r = baseline("testdata/lab/dns-blocked.v4", "testdata/lab/drop-all.v6");
    assertEquals(1, r.exit(), r.stderr());
    assertFalse(r.baseline().get("works").booleanValue());
    String problem = ProbeLabTest.text(r.baseline(), "problem");
    assertTrue(problem.contains("this ruleset blocks DNS to the VPN resolver " + LabPlan.TUNNEL_SERVER4 + " through the tunnel: "
        + "testdata/lab/dns-blocked.v4:10 filter/OUTPUT REJECT"), problem);
    assertTrue(problem.contains("the killswitch breaks the VPN"), problem);
  }

  /** The lab's notes of a run's report: where each part of the setup came from. */
  private static List<String> notes(ProbeLabTest.Run r) {
    List<String> out = new ArrayList<>();
    for (JsonNode n : r.report().get("lab").get("notes")) out.add(n.textValue());
    return out;
  }
}
