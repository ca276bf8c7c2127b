package org.ksaudit.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends probe packets from inside a namespace, each out of a chosen device. The JDK offers
 * neither SO_BINDTODEVICE nor raw ICMP sockets, so a short python3 program (standard
 * library only) does the sending: one process per batch, one line per packet.
 */
final class RawSender {
  private RawSender() {}

  /**
   * One packet: {@code token} is put in the payload (UDP, ICMP), padded to the 16 bytes every
   * probe carries (what trace assumes of a probe: Packet.Shape.PAYLOAD), so counters can
   * recognise it and {@code -m length} sees the same length for every probe.
   */
  record Packet(String token, Probe probe, int sourcePort) {}

  // Every socket is bound to its device (and may broadcast, as a broadcasting application's would) and to a source port (the ICMP echo identifier for
  // ICMP) that no other probe of this run uses; a TCP socket is non-blocking so connect()
  // returns once the SYN is sent, then closed in SYN_SENT (which sends nothing more).
  private static final String PROGRAM = String.join("\n",
      "import socket, struct, sys, time",
      "def csum(b):",
      "    if len(b) % 2: b += b'\\0'",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    s = (s >> 16) + (s & 0xffff); s += s >> 16",
      "    return (~s) & 0xffff",
      "def send(tok, fam, proto, dst, dport, oif, sport):",
      "    af = socket.AF_INET6 if fam == '6' else socket.AF_INET",
      "    payload = tok.encode().ljust(16, b'_')",
      "    if len(payload) != 16: raise SystemExit('probe token longer than 16 bytes: ' + tok)",
      "    if proto == 'udp': s = socket.socket(af, socket.SOCK_DGRAM)",
      "    elif proto == 'tcp': s = socket.socket(af, socket.SOCK_STREAM)",
      "    else: s = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if fam == '6' else socket.IPPROTO_ICMP)",
      "    try:",
      "        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, oif.encode())",
      "        if proto != 'tcp' and fam == '4': s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)",
      "        if proto == 'udp':",
      "            s.bind(('', sport)); s.sendto(payload, (dst, dport))",
      "        elif proto == 'tcp':",
      "            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "            s.bind(('', sport)); s.setblocking(False)",
      "            r = s.connect_ex((dst, dport))",
      "            if r not in (0, 115): raise OSError(r, 'connect')",
      "        else:",
      "            kind = 128 if fam == '6' else 8",
      "            head = struct.pack('!BBHHH', kind, 0, 0, sport, 1)",
      "            c = 0 if fam == '6' else csum(head + payload)",
      "            s.sendto(struct.pack('!BBHHH', kind, 0, c, sport, 1) + payload, (dst, 0))",
      "        return 'sent'",
      "    except OSError as e:",
      "        return 'error ' + str(e.errno)",
      "    finally:",
      "        s.close()",
      "n = 0",
      "for line in sys.stdin:",
      "    f = line.split()",
      "    if not f: continue",
      "    print(f[0], send(f[0], f[1], f[2], f[3], int(f[4]), f[5], int(f[6])))",
      "    n += 1",
      "    if n % 200 == 0: time.sleep(0.002)",
      "sys.stdout.flush()",
      "");

  /** Sends every packet from {@code ns}; returns token -> "sent" or "error ERRNO". */
  static Map<String, String> send(Netns ns, List<Packet> packets) throws LabException {
    StringBuilder in = new StringBuilder();
    for (Packet p : packets) {
      Probe pr = p.probe();
      in.append(p.token()).append(' ')
          .append(pr.family() == org.ksaudit.model.Family.IPV6 ? '6' : '4').append(' ')
          .append(pr.proto()).append(' ')
          .append(pr.dst()).append(' ')
          .append(Math.max(pr.dport(), 0)).append(' ')
          .append(pr.oif()).append(' ')
          .append(p.sourcePort()).append('\n');
    }
    // a bound for a stuck sender, not a speed target: python3's start alone takes seconds on a loaded machine
    long timeout = 30_000 + 5L * packets.size();
    Exec.Result r = ns.exec(in.toString(), timeout, Python.executable(), "-c", PROGRAM);
    if (!r.ok()) throw new LabException("sending probes in " + ns.name() + " failed: " + r.firstLine());
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0) out.put(line.substring(0, sp), line.substring(sp + 1).strip());
    }
    return out;
  }
}
