package org.ksaudit.setup;

import java.util.Objects;
import org.ksaudit.model.value.IpText;

/**
 * A VPN server as a config names it or the rules allow it. {@code host} is an address, or a
 * host name when a config names one (ksaudit never resolves names: that would be a DNS query
 * from the auditing machine).
 */
public record Server(String host, int port, String proto) {
  public Server {
    Objects.requireNonNull(host, "host");
    if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port);
    if (!proto.equals("udp") && !proto.equals("tcp")) throw new IllegalArgumentException("proto " + proto);
  }

  /** True when {@code host} is a literal IPv4 or IPv6 address, not a name. */
  public boolean numeric() {
    return IpText.parseV4(host).isPresent() || IpText.parseV6(host).isPresent();
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + proto;
  }
}
