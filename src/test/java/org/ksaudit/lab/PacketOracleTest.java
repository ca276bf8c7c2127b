package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.testsupport.Host;

class PacketOracleTest {
  private static PacketOracle oracle;

  @BeforeAll
  static void lab() throws LabException {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "iptables-save", "ip6tables-save", "python3");
    oracle = PacketOracle.create(List.of("eth0", "wlan0", "tun0", "wg0"));
  }

  @AfterAll
  static void closeLab() {
    if (oracle != null) oracle.close();
  }

  private static Probe v4(String proto, String dst, int dport, String oif) {
    return new Probe(Family.IPV4, proto, dst, dport, oif);
  }

  private static Probe v6(String proto, String dst, int dport, String oif) {
    return new Probe(Family.IPV6, proto, dst, dport, oif);
  }

  @Test
  void tellsDropFromAccept() throws LabException {
    String rules = """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -o eth0 -p udp --dport 53 -j DROP
        COMMIT
        """;
    Probe dnsEth = v4("udp", "198.51.100.53", 53, "eth0");
    Probe dnsTun = v4("udp", "198.51.100.53", 53, "tun0");
    Probe ntpEth = v4("udp", "198.51.100.53", 123, "eth0");
    Map<Probe, Boolean> got = oracle.run(Optional.of(rules), Optional.empty(), List.of(dnsEth, dnsTun, ntpEth));
    assertEquals(Map.of(dnsEth, false, dnsTun, true, ntpEth, true), got);
  }

  @Test
  void killswitchOverEveryProtocolAndBothFamilies() throws LabException {
    String v4 = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT DROP [0:0]
        -A OUTPUT -o lo -j ACCEPT
        -A OUTPUT -o tun0 -j ACCEPT
        -A OUTPUT -o eth0 -d 203.0.113.10 -p udp --dport 1194 -j ACCEPT
        -A OUTPUT -o wlan0 -p tcp --dport 443 -j REJECT --reject-with tcp-reset
        -A OUTPUT -o wlan0 -p icmp --icmp-type echo-request -j ACCEPT
        COMMIT
        """;
    String v6 = """
        *filter
        :INPUT DROP [0:0]
        :FORWARD DROP [0:0]
        :OUTPUT DROP [0:0]
        -A OUTPUT -o wg0 -j ACCEPT
        -A OUTPUT -o eth0 -p ipv6-icmp --icmpv6-type echo-request -j ACCEPT
        COMMIT
        """;
    List<Probe> probes = List.of(
        v4("udp", "203.0.113.10", 1194, "eth0"),
        v4("udp", "203.0.113.11", 1194, "eth0"),
        v4("udp", "203.0.113.10", 1195, "eth0"),
        v4("udp", "203.0.113.10", 1194, "wlan0"),
        v4("tcp", "198.51.100.80", 443, "tun0"),
        v4("tcp", "198.51.100.80", 443, "wlan0"),
        v4("tcp", "198.51.100.80", 443, "eth0"),
        v4("icmp", "198.51.100.80", -1, "wlan0"),
        v4("icmp", "198.51.100.80", -1, "eth0"),
        v6("udp", "2001:db8::53", 53, "wg0"),
        v6("udp", "2001:db8::53", 53, "eth0"),
        v6("tcp", "2001:db8::80", 80, "eth0"),
        v6("icmp", "2001:db8::80", -1, "eth0"),
        v6("icmp", "2001:db8::80", -1, "wlan0"));
    Map<Probe, Boolean> got = oracle.run(Optional.of(v4), Optional.of(v6), probes);
    List<Boolean> expected = List.of(true, false, false, false, true, false, false, true, false, true, false, false, true, false);
    for (int i = 0; i < probes.size(); i++) {
      assertEquals(expected.get(i), got.get(probes.get(i)), probes.get(i).traceLine());
    }
  }

  @Test
  void marksAndDnatAreSeenLikeTheKernelSeesThem() throws LabException {
    // a mark set in mangle decides in filter; a DNAT in nat OUTPUT still leaves (to its new destination)
    String v4 = """
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A OUTPUT -p udp --dport 51820 -j MARK --set-mark 0xca6c
        COMMIT
        *nat
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        :POSTROUTING ACCEPT [0:0]
        -A OUTPUT -p tcp --dport 8080 -j DNAT --to-destination 198.51.100.1:80
        COMMIT
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT DROP [0:0]
        -A OUTPUT -m mark --mark 0xca6c -j ACCEPT
        -A OUTPUT -p tcp -d 198.51.100.1 --dport 80 -j ACCEPT
        COMMIT
        """;
    Probe wg = v4("udp", "192.0.2.7", 51820, "eth0");
    Probe other = v4("udp", "192.0.2.7", 51821, "eth0");
    Probe dnat = v4("tcp", "192.0.2.8", 8080, "eth0");
    Probe plain = v4("tcp", "192.0.2.8", 8081, "eth0");
    Map<Probe, Boolean> got = oracle.run(Optional.of(v4), Optional.empty(), List.of(wg, other, dnat, plain));
    assertEquals(Map.of(wg, true, other, false, dnat, true, plain, false), got);
  }

  @Test
  void rulesOfAnEarlierRunDoNotLinger() throws LabException {
    String mangleDrop = """
        *mangle
        :PREROUTING ACCEPT [0:0]
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT DROP [0:0]
        :POSTROUTING ACCEPT [0:0]
        COMMIT
        """;
    Probe p = v4("udp", "192.0.2.9", 9, "eth0");
    assertFalse(oracle.run(Optional.of(mangleDrop), Optional.empty(), List.of(p)).get(p));
    String filterOnly = "*filter\n:INPUT ACCEPT [0:0]\n:FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\nCOMMIT\n";
    assertTrue(oracle.run(Optional.of(filterOnly), Optional.empty(), List.of(p)).get(p));
  }

  @Test
  void manyProbesAllArriveWhenNothingBlocks() throws LabException {
    List<Probe> probes = new ArrayList<>();
    String[] ifs = {"eth0", "wlan0", "tun0", "wg0"};
    for (int i = 0; i < 1500; i++) {
      String oif = ifs[i % 4];
      probes.add(switch (i % 5) {
        case 0 -> v4("udp", "198.51.100." + (i % 250 + 1), 1000 + i, oif);
        case 1 -> v4("tcp", "203.0.113." + (i % 250 + 1), 2000 + i, oif);
        case 2 -> v4("icmp", "192.0.2." + (i % 250 + 1), -1, oif);
        case 3 -> v6("udp", "2001:db8::" + Integer.toHexString(i + 1), 53, oif);
        default -> v6("icmp", "2001:db8:1::" + Integer.toHexString(i), -1, oif);
      });
    }
    long t0 = System.nanoTime();
    Map<Probe, Boolean> got = oracle.run(Optional.empty(), Optional.empty(), probes);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(new java.util.HashSet<>(probes).size(), got.size(), "one answer per distinct probe");
    assertTrue(got.values().stream().allMatch(b -> b), "lost: " + got.entrySet().stream().filter(e -> !e.getValue()).limit(5).toList());
    System.out.println("PacketOracleTest: " + got.size() + " probes in " + ms + " ms");
  }

  @Test
  void refusesWhatItCannotSend() {
    Probe unknown = v4("udp", "192.0.2.1", 53, "ppp0");
    assertThrows(LabException.class, () -> oracle.run(Optional.empty(), Optional.empty(), List.of(unknown)));
    assertThrows(LabException.class, () -> oracle.run(Optional.of("*filter\n-A NOPE -j ACCEPT\nCOMMIT\n"), Optional.empty(), List.of()));
  }
}
