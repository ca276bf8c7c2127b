package org.ksaudit.lab;

import java.util.List;

/**
 * Debian's DHCP client (isc-dhcp-client) on the client's LAN interface, with its stock
 * {@code dhclient-script} and hooks: the rfc3442 exit hook installs the classless static
 * routes of option 121. The configuration asks for no more than the stock one does about
 * addresses and routes (mask, broadcast, routers, option 121) and for no host name, time or
 * resolver options.
 *
 * <p>{@code ip netns exec} gives it a mount namespace of its own; in it a private tmpfs over
 * /run, and a UTS namespace of its own, keep the script's hooks away from the host's
 * systemd-timesyncd settings and host name.
 */
final class DhcpClient implements AutoCloseable {
  private static final String CONF = "option rfc3442-classless-static-routes code 121 = array of unsigned integer 8;\n"
      + "request subnet-mask, broadcast-address, routers, rfc3442-classless-static-routes;\n";
  private final LabProcess process;

  private DhcpClient(LabProcess process) {
    this.process = process;
  }

  /** Starts dhclient on the client's LAN interface and waits until it has bound a lease. */
  static DhcpClient start(Lab lab) throws LabException {
    String conf = lab.scratch().write("dhclient.conf", CONF).toString();
    String dhclient = "dhclient -4 -1 -d -v -cf " + conf + " -lf " + lab.scratch().resolve("dhclient.leases")
        + " -pf " + lab.scratch().resolve("dhclient.pid") + " " + LabPlan.PHYSICAL;
    LabProcess p = lab.start("dhclient", lab.client(),
        List.of("unshare", "--uts", "sh", "-c", "mount -t tmpfs -o mode=0755 tmpfs /run && exec " + dhclient));
    if (!p.awaitLog(l -> l.contains("bound to"), 15_000)) {
      String tail = p.logTail(5);
      p.kill();
      throw new LabException("the client's DHCP client (dhclient) bound no lease from the rogue server: " + tail);
    }
    return new DhcpClient(p);
  }

  /** SIGKILL: the lease is not released, so the routes stay until the scenario removes them. */
  @Override
  public void close() {
    process.close();
  }
}
