package org.ksaudit.cli;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.ksaudit.analysis.ConnState;
import org.ksaudit.analysis.TcpFlags;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.IpText;

/**
 * The one validator of the values that describe a packet, interface or owner, whether they come
 * from an option ({@code --dport}) or a {@code --probes} line: the same text is accepted or
 * refused with the same reason. Each method returns the value or throws an
 * IllegalArgumentException whose message names the value and the rule it breaks.
 */
final class PacketValues {
  private PacketValues() {}

  /** The largest uid or gid: (uid_t) -1 is reserved, and iptables' owner match stops at UINT32_MAX - 1 too. */
  static final long MAX_ID = 0xfffffffeL;
  /** Linux's IFNAMSIZ less the terminating NUL: the longest interface name, in bytes. */
  static final int MAX_INTERFACE_BYTES = 15;

  static String proto(String text) {
    String p = text.toLowerCase(Locale.ROOT);
    if (p.equals("tcp") || p.equals("udp") || p.equals("icmp")) return p;
    throw new IllegalArgumentException("protocol '" + text + "' must be tcp, udp or icmp");
  }

  static int port(String text) {
    if (text.matches("[0-9]{1,5}")) {
      int p = Integer.parseInt(text);
      if (p <= 65535) return p;
    }
    throw new IllegalArgumentException("port '" + text + "' must be a number 0-65535");
  }

  /** A uid or gid of a local process. */
  static long owner(String text) {
    if (text.matches("[0-9]{1,10}")) {
      long v = Long.parseLong(text);
      if (v <= MAX_ID) return v;
    }
    throw new IllegalArgumentException("'" + text + "' must be a number 0-" + MAX_ID + " (4294967295 is no one's id)");
  }

  /** A 32-bit mark, decimal or 0x hex. */
  static long mark(String text) {
    String t = text.toLowerCase(Locale.ROOT);
    boolean hex = t.startsWith("0x");
    String digits = hex ? t.substring(2) : t;
    if (hex ? digits.matches("[0-9a-f]{1,8}") : digits.matches("[0-9]{1,10}")) {
      long v = Long.parseLong(digits, hex ? 16 : 10);
      if (v <= 0xffffffffL) return v;
    }
    throw new IllegalArgumentException("mark '" + text + "' must be a number 0-4294967295 (decimal or 0x hex)");
  }

  /** The connection state a traced packet can have (UNTRACKED is a rule's doing, not a packet's). */
  static ConnState state(String text) {
    return ConnState.byName(text).filter(s -> s != ConnState.UNTRACKED)
        .orElseThrow(() -> new IllegalArgumentException("state '" + text + "' must be NEW, ESTABLISHED, RELATED or INVALID"));
  }

  /** TCP flags as a comma list (SYN, ACK, FIN, RST, PSH, URG, ECE, CWR, or NONE). */
  static int tcpFlags(String text) {
    return TcpFlags.parse(text).orElseThrow(() -> new IllegalArgumentException(
        "TCP flags '" + text + "' must be a comma list of SYN, ACK, FIN, RST, PSH, URG, ECE, CWR (or NONE)"));
  }

  /** The family of a numeric address. */
  static Family family(String text) {
    if (IpText.parseV4(text).isPresent()) return Family.IPV4;
    if (IpText.parseV6(text).isPresent()) return Family.IPV6;
    throw new IllegalArgumentException("'" + text + "' is not a numeric IPv4 or IPv6 address");
  }

  static BigInteger address(String text, Family family) {
    return IpText.parse(family, text)
        .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not an " + family.label() + " address"));
  }

  /** An ICMP type and code, {@code TYPE[/CODE]}, each 0-255. */
  static int[] icmpType(String text) {
    String[] tc = text.split("/", 2);
    if (tc[0].matches("[0-9]{1,3}") && (tc.length == 1 || tc[1].matches("[0-9]{1,3}"))) {
      int type = Integer.parseInt(tc[0]);
      int code = tc.length == 1 ? 0 : Integer.parseInt(tc[1]);
      if (type <= 255 && code <= 255) return new int[] {type, code};
    }
    throw new IllegalArgumentException("ICMP type '" + text + "' must be TYPE or TYPE/CODE, each 0-255");
  }

  /**
   * A name the kernel could give a device (dev_valid_name): 1-15 bytes, not "." or "..", no '/',
   * ':' or white space.
   */
  static String interfaceName(String text) {
    if (!validName(text))
      throw new IllegalArgumentException("'" + text + "' is not an interface name (1-15 bytes, not . or .., no '/', ':' or blanks)");
    return text;
  }

  /**
   * A tunnel name or prefix: an interface name, or a prefix of one followed by {@code +} (as
   * iptables writes it) or {@code *}; 15 bytes at most in all, as iptables allows. The prefix
   * may not be empty: every interface would be the tunnel and nothing could leak.
   */
  static String tunnelPattern(String text) {
    boolean wildcard = text.endsWith("+") || text.endsWith("*");
    String name = wildcard ? text.substring(0, text.length() - 1) : text;
    if (wildcard && name.isEmpty())
      throw new IllegalArgumentException("'" + text + "' would make every interface the tunnel; give a prefix such as tun+");
    if (!validName(name) || text.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_BYTES)
      throw new IllegalArgumentException("'" + text + "' is not an interface name or prefix (1-15 bytes, a trailing + or * for"
          + " a prefix, no '/', ':' or blanks)");
    return text;
  }

  private static boolean validName(String name) {
    if (name.isEmpty() || name.equals(".") || name.equals("..")) return false;
    if (name.getBytes(StandardCharsets.UTF_8).length > MAX_INTERFACE_BYTES) return false;
    // the kernel's isspace(): space, \t, \n, \v, \f, \r
    return name.chars().noneMatch(c -> c == '/' || c == ':' || c == ' ' || (c >= '\t' && c <= '\r'));
  }
}
