package org.ksaudit.check;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/**
 * A declared VPN server: {@code ADDR:PORT/PROTO}, IPv6 as {@code [ADDR]:PORT/PROTO}. Packets
 * to exactly this address, port and protocol are the tunnel's own and may leave in clear.
 */
public record Endpoint(Family family, BigInteger address, int port, String proto) {
  public Endpoint {
    if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port);
    if (!proto.equals("udp") && !proto.equals("tcp")) throw new IllegalArgumentException("proto " + proto);
  }

  /** Parses {@code 198.51.100.1:1194/udp} or {@code [2001:db8::1]:51820/udp}; the message says what is wrong. */
  public static Endpoint parse(String text) {
    String t = text.strip();
    int slash = t.lastIndexOf('/');
    if (slash < 0) throw new IllegalArgumentException("endpoint '" + text + "' needs a protocol: ADDR:PORT/udp or ADDR:PORT/tcp");
    String proto = t.substring(slash + 1).toLowerCase(Locale.ROOT);
    String hostPort = t.substring(0, slash);
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("endpoint '" + text + "' needs a port: ADDR:PORT/PROTO");
    String host = hostPort.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    int port;
    try {
      port = Integer.parseInt(hostPort.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("endpoint '" + text + "': port '" + hostPort.substring(colon + 1) + "' is not a number");
    }
    if (port < 1 || port > 65535) throw new IllegalArgumentException("endpoint '" + text + "': port must be 1-65535");
    if (!proto.equals("udp") && !proto.equals("tcp"))
      throw new IllegalArgumentException("endpoint '" + text + "': protocol must be udp or tcp");
    Optional<BigInteger> v4 = IpText.parseV4(host);
    if (v4.isPresent()) return new Endpoint(Family.IPV4, v4.get(), port, proto);
    Optional<BigInteger> v6 = IpText.parseV6(host);
    if (v6.isPresent()) return new Endpoint(Family.IPV6, v6.get(), port, proto);
    throw new IllegalArgumentException("endpoint '" + text + "': '" + host + "' is not a numeric IPv4 or IPv6 address");
  }

  public String addressText() {
    return IpText.format(family, address);
  }

  @Override
  public String toString() {
    String host = family == Family.IPV6 ? "[" + addressText() + "]" : addressText();
    return host + ":" + port + "/" + proto;
  }
}
