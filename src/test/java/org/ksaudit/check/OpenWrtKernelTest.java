package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Host;

/**
 * The kernel confirms the leaks of testdata/killswitches/openwrt-pppoe.v4: its rules are
 * loaded into a namespace with interfaces named as on the router (pppoe-wan, br-lan, tun0),
 * every definite witness of the audit is sent and must arrive behind its interface, and so
 * must forwarded LAN traffic (NTP from a LAN client arriving on br-lan) routed out of
 * pppoe-wan; the VPN server's own packets leave through pppoe-wan too (it carries the tunnel).
 */
class OpenWrtKernelTest {
  private static final List<String> INTERFACES = List.of("pppoe-wan", "br-lan", "tun0");

  @Test
  void theWitnessesAndForwardedLanTrafficLeaveThroughPppoeWan() throws Exception {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    String rules = Files.readString(Path.of(OpenWrtUplinkTest.FILE));
    List<Probe> witnesses = new ArrayList<>();
    for (Finding f : KillswitchAudit.audit(List.of(OpenWrtUplinkTest.ruleset()), AuditOptions.defaults())) {
      if (f.certainty() != Certainty.DEFINITE || f.witness().isEmpty() || !f.witness().get().replayable()) continue;
      Witness w = f.witness().get();
      if (w.family() == Family.IPV4 && INTERFACES.contains(w.oif())) witnesses.add(new Probe(w.family(), w.proto(), w.dst(), w.dport(), w.oif()));
    }
    assertTrue(witnesses.stream().anyMatch(p -> p.oif().equals("pppoe-wan")), witnesses.toString());
    Probe ntp = new Probe(Family.IPV4, "udp", "203.0.113.123", 123, "pppoe-wan");
    Probe vpn = new Probe(Family.IPV4, "udp", "198.51.100.1", 1194, "pppoe-wan");
    Probe intoTunnel = new Probe(Family.IPV4, "udp", "203.0.113.123", 123, "tun0");
    PacketOracle.Forwarded lanNtp = new PacketOracle.Forwarded(ntp, "br-lan", "192.0.2.100");
    try (PacketOracle oracle = PacketOracle.create(INTERFACES)) {
      List<Probe> local = new ArrayList<>(witnesses);
      local.addAll(List.of(ntp, vpn, intoTunnel));
      Map<Probe, Boolean> arrived = oracle.run(Optional.of(rules), Optional.empty(), local);
      for (Probe p : local) assertTrue(arrived.get(p), p.traceLine() + " did not leave");
      Map<PacketOracle.Forwarded, Boolean> forwarded = oracle.runForwarded(Optional.of(rules), Optional.empty(), List.of(lanNtp));
      assertTrue(forwarded.get(lanNtp), lanNtp.traceLine() + " was not forwarded");
    }
  }
}
