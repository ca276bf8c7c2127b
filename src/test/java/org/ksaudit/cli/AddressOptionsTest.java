package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.ksaudit.lab.LabAddress;

/**
 * One CIDR reader for check and probe, as iptables reads an address: iptables-nft-restore and
 * iptables-legacy-restore (1.8.9) both load {@code -d 192.168.1/24} as 192.168.1.0/24 (measured
 * in a scratch namespace), and one IPv6 formatter (RFC 5952) for the lab and the reports.
 */
class AddressOptionsTest {
  private static final String LAN = "testdata/killswitches/lan-declared.v4";

  @Test
  void aNetworkWithoutItsTrailingZeroBytesIsTheSameRangeForCheck() {
    CliRun full = CliRun.of("check", LAN, "--no-ipv6", "--allow-lan", "192.168.1.0/24");
    CliRun shortened = CliRun.of("check", LAN, "--no-ipv6", "--allow-lan", "192.168.1/24");
    assertEquals(full.code(), shortened.code(), shortened.both());
    assertEquals(full.out(), shortened.out());
  }

  @Test
  void probeReadsTheSameRanges() {
    CliRun r = CliRun.of("probe", "--lab", "--allow-lan", "192.168.1/24");
    assertEquals(2, r.code(), r.both());
    assertFalse(r.err().contains("Invalid value"), r.err());
    assertTrue(r.err().contains("give --lab"), r.err());
    CliRun bad = CliRun.of("probe", "--lab", "--allow-lan", "192.168.1.0/33");
    assertTrue(bad.err().contains("Invalid value for option '--allow-lan'"), bad.err());
  }

  @Test
  void ipv6AddressesAreWrittenAsRfc5952Says() {
    // the longest run of zero groups is compressed, the first of two equal runs, a single zero group never
    assertEquals("2001:db8::1:0:0:1", LabAddress.canonical("2001:DB8:0:0:1:0:0:1"));
    assertEquals("2001:db8:0:1:1:1:1:1", LabAddress.canonical("2001:db8:0:1:1:1:1:1"));
    assertEquals("::1", LabAddress.canonical("0:0:0:0:0:0:0:1"));
  }
}
