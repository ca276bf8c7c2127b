package org.ksaudit.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ksaudit.model.Family;

/**
 * Puts whole Ethernet frames on a device with a packet socket, so a namespace can play
 * "another host": the frame carries any source address and is received by the peer of the
 * device as if it came off a wire (on {@code lo}: received by the namespace itself). A short
 * python3 program (standard library only) builds the IPv4/IPv6 header and the UDP datagram,
 * TCP SYN or ICMP echo request with correct checksums; the sending namespace's own rules and
 * routes play no part. One process sends a whole run in rounds: before each round it applies
 * the round's {@code ip -batch} lines in its own namespace (after letting the previous round's
 * packets be routed), and it opens the sockets of devices in other namespaces by entering
 * them for a moment (setns), since a python start costs more than a whole round.
 */
final class FrameSender {
  private FrameSender() {}

  /**
   * One frame, put on {@code device} of namespace {@code namespace} (empty: the namespace the
   * sender runs in). {@code token} is in the payload (UDP, ICMP); {@code sourcePort} is the ICMP
   * echo identifier for ICMP; {@code dport} is ignored for ICMP.
   */
  record Frame(String token, Family family, String proto, String src, String dst, int dport, int sourcePort,
      String namespace, String device, String dstMac, String srcMac) {}

  /** {@code ip -batch} lines for the sender's namespace, then frames sent once they took effect. */
  record Round(List<String> ipLines, List<Frame> frames) {}

  /** Time for the packets of a round to be routed before the next round changes the routes. */
  static final double SETTLE_SECONDS = 0.06;

  private static final String PROGRAM = String.join("\n",
      "import ctypes, os, socket, struct, subprocess, sys, time",
      "def csum(b):",
      "    if len(b) % 2: b += b'\\0'",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    while s >> 16: s = (s >> 16) + (s & 0xffff)",
      "    return (~s) & 0xffff",
      "def mac(t): return bytes(int(x, 16) for x in t.split(':'))",
      "def frame(tok, fam, proto, src, dst, dport, sport, dmac, smac):",
      "    v6 = fam == '6'",
      "    af = socket.AF_INET6 if v6 else socket.AF_INET",
      "    s, d = socket.inet_pton(af, src), socket.inet_pton(af, dst)",
      "    pay = tok.encode()",
      "    if proto == 'udp':",
      "        num = 17; l4 = struct.pack('!HHHH', sport, dport, 8 + len(pay), 0) + pay",
      "    elif proto == 'tcp':",
      "        num = 6; l4 = struct.pack('!HHIIBBHHH', sport, dport, 1000, 0, 5 << 4, 0x02, 64240, 0, 0)",
      "    else:",
      "        num = 58 if v6 else 1; l4 = struct.pack('!BBHHH', 128 if v6 else 8, 0, 0, sport, 1) + pay",
      "    pseudo = s + d + (struct.pack('!IxxxB', len(l4), num) if v6 else struct.pack('!BBH', 0, num, len(l4)))",
      "    at = {17: 6, 6: 16, 1: 2, 58: 2}[num]",
      "    c = csum((b'' if num == 1 else pseudo) + l4)",
      "    if num == 17 and c == 0: c = 0xffff",
      "    l4 = l4[:at] + struct.pack('!H', c) + l4[at + 2:]",
      "    if v6:",
      "        ip = struct.pack('!IHBB', 6 << 28, len(l4), num, 64) + s + d; et = 0x86dd",
      "    else:",
      "        h = struct.pack('!BBHHHBBH', 0x45, 0, 20 + len(l4), 1, 0x4000, 64, num, 0) + s + d",
      "        ip = h[:10] + struct.pack('!H', csum(h)) + h[12:]; et = 0x0800",
      "    return mac(dmac) + mac(smac) + struct.pack('!H', et) + ip + l4",
      "libc = ctypes.CDLL(None, use_errno=True)",
      "home = os.open('/proc/self/ns/net', os.O_RDONLY)",
      "def enter(fd):",
      "    if libc.setns(fd, 0x40000000) != 0: raise OSError(ctypes.get_errno(), 'setns')",
      "def sock(ns, dev):",
      "    if ns == '-':",
      "        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind((dev, 0)); return s",
      "    fd = os.open('/run/netns/' + ns, os.O_RDONLY)",
      "    try:",
      "        enter(fd)",
      "        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind((dev, 0)); return s",
      "    finally:",
      "        enter(home); os.close(fd)",
      "socks = {}",
      "pending = []",
      "sent = 0",
      "for line in sys.stdin:",
      "    if line.startswith('ip '):",
      "        pending.append(line[3:]); continue",
      "    f = line.split()",
      "    if not f: continue",
      "    if pending:",
      "        if sent: time.sleep(" + SETTLE_SECONDS + ")",
      "        r = subprocess.run(['ip', '-batch', '-'], input=''.join(pending), text=True, capture_output=True)",
      "        if r.returncode != 0: print('ip-batch-failed', r.stderr.strip().replace('\\n', ' ')); sys.exit(1)",
      "        pending = []",
      "    tok, fam, proto, src, dst, dport, sport, ns, dev, dmac, smac = f",
      "    try:",
      "        if (ns, dev) not in socks: socks[(ns, dev)] = sock(ns, dev)",
      "        socks[(ns, dev)].send(frame(tok, fam, proto, src, dst, int(dport), int(sport), dmac, smac))",
      "        print(tok, 'sent')",
      "    except OSError as e:",
      "        print(tok, 'error', e.errno)",
      "    sent += 1",
      "    if sent % 200 == 0: time.sleep(0.002)",
      "time.sleep(" + SETTLE_SECONDS + ")",
      "sys.stdout.flush()",
      "");

  /** Runs every round from {@code ns}; returns token -> "sent" or "error ERRNO" for every frame. */
  static Map<String, String> send(Netns ns, List<Round> rounds) throws LabException {
    StringBuilder in = new StringBuilder();
    int frames = 0;
    for (Round round : rounds) {
      for (String l : round.ipLines()) in.append("ip ").append(l).append('\n');
      for (Frame f : round.frames()) {
        in.append(f.token()).append(' ').append(f.family() == Family.IPV6 ? '6' : '4').append(' ').append(f.proto())
            .append(' ').append(f.src()).append(' ').append(f.dst()).append(' ').append(Math.max(f.dport(), 0)).append(' ')
            .append(f.sourcePort()).append(' ').append(f.namespace().isEmpty() ? "-" : f.namespace()).append(' ')
            .append(f.device()).append(' ').append(f.dstMac()).append(' ').append(f.srcMac()).append('\n');
        frames++;
      }
    }
    Exec.Result r = ns.exec(in.toString(), 10_000 + 5L * frames + 1_000L * rounds.size(), Python.executable(), "-c", PROGRAM);
    if (!r.ok()) throw new LabException("sending frames in " + ns.name() + " failed: " + r.firstLine() + " " + r.stdout().strip());
    Map<String, String> out = new LinkedHashMap<>();
    for (String line : r.stdout().split("\n")) {
      int sp = line.indexOf(' ');
      if (sp > 0) out.put(line.substring(0, sp), line.substring(sp + 1).strip());
    }
    return out;
  }
}
