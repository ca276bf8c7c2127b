package org.ksaudit.fuzz;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.Netns;
import org.ksaudit.lab.PacketOracle;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;

/**
 * The packet oracle of {@link PacketOracle}, batched for thousands of rulesets: the same two
 * namespaces (a sender holding the rules with one veth per interface name, a receiver at the
 * other ends), the same probes (UDP datagram, TCP SYN, ICMP echo request from uid 0, state NEW,
 * bound to their device with SO_BINDTODEVICE, a source port never reused within a run), loaded
 * with the real iptables-restore / ip6tables-restore. What differs is only the plumbing, so that
 * one ruleset costs its two restores and nothing else: one python3 process lives in the sender
 * for the whole run and loads, sends and counts on request; arrivals are read from an AF_PACKET
 * socket it opened in the receiver (so no counting rules to load and save per ruleset); the
 * sender's devices do not resolve neighbours (NOARP: the probe is the first frame on the wire,
 * no static entries to add per destination); and the conntrack table is flushed before each
 * batch, so no NAT binding or entry of an earlier ruleset meets a later probe.
 */
final class KernelJudge implements AutoCloseable {
  private static final long REPLY_MILLIS = 90_000;
  private static final Pattern TABLE = Pattern.compile("(?m)^\\*([A-Za-z0-9_]+)[ \\t]*\\r?$");
  private static final List<String> TABLES = List.of("raw", "mangle", "nat", "filter", "security");
  /** ENODEV, EINVAL, EADDRINUSE, EADDRNOTAVAIL, ENETUNREACH: no rule causes these (as in PacketOracle). */
  private static final Set<String> LAB_FAULTS = Set.of("error 19", "error 22", "error 98", "error 99", "error 101");

  private final Netns sender;
  private final Netns receiver;
  private final List<String> interfaces;
  private final Process driver;
  private final OutputStream toDriver;
  private final LinkedBlockingQueue<String> replies = new LinkedBlockingQueue<>();
  private final StringBuilder driverErrors = new StringBuilder();
  private final String[] loaded = new String[2];
  private int nextPort;
  private long restores;

  private KernelJudge(Netns sender, Netns receiver, List<String> interfaces, Process driver) {
    this.sender = sender;
    this.receiver = receiver;
    this.interfaces = interfaces;
    this.driver = driver;
    this.toDriver = driver.getOutputStream();
    Thread out = new Thread(() -> pump(new BufferedReader(new InputStreamReader(driver.getInputStream(), StandardCharsets.UTF_8))),
        "kernel-judge-replies");
    out.setDaemon(true);
    out.start();
    Thread err = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(driver.getErrorStream(), StandardCharsets.UTF_8))) {
        for (String line; (line = r.readLine()) != null; ) synchronized (driverErrors) { driverErrors.append(line).append('\n'); }
      } catch (IOException e) {
        // the driver is gone; what it wrote is kept
      }
    }, "kernel-judge-errors");
    err.setDaemon(true);
    err.start();
  }

  private void pump(BufferedReader r) {
    try (r) {
      for (String line; (line = r.readLine()) != null; ) replies.add(line);
    } catch (IOException e) {
      // the driver is gone; a request waiting for it times out with its stderr
    }
    replies.add("\u0000eof");
  }

  /** Builds the namespaces with one veth pair per interface name and starts the driver in the sender. */
  static KernelJudge create(List<String> names) throws LabException {
    List<String> ifs = List.copyOf(new LinkedHashSet<>(names));
    Netns sender = null;
    Netns receiver = null;
    try {
      sender = Netns.create("fzsend");
      receiver = Netns.create("fzrecv");
      StringBuilder links = new StringBuilder();
      StringBuilder s = new StringBuilder();
      StringBuilder r = new StringBuilder();
      StringBuilder peers = new StringBuilder();
      for (int k = 0; k < ifs.size(); k++) {
        String n = ifs.get(k);
        links.append("link add ").append(n).append(" type veth peer name p").append(k).append(" netns ").append(receiver.name()).append('\n');
        s.append("link set ").append(n).append(" addrgenmode none\n");
        s.append("link set ").append(n).append(" arp off up\n");
        s.append("addr add ").append(PacketOracle.SOURCE_V4).append("/32 dev ").append(n).append('\n');
        s.append("addr add ").append(PacketOracle.SOURCE_V6).append("/128 dev ").append(n).append(" nodad\n");
        s.append("route add default dev ").append(n).append(" metric ").append(100 + k).append('\n');
        s.append("route add ::/0 dev ").append(n).append(" metric ").append(100 + k).append('\n');
        r.append("link set p").append(k).append(" addrgenmode none\n");
        r.append("link set p").append(k).append(" up\n");
        peers.append(k == 0 ? "" : ",").append(n).append("=p").append(k);
      }
      quiet(sender);
      quiet(receiver);
      batch(sender, links.toString());
      batch(sender, s.toString());
      batch(receiver, r.toString());
      ProcessBuilder pb = new ProcessBuilder("ip", "netns", "exec", sender.name(), "python3", "-u", "-c", DRIVER,
          "/run/netns/" + receiver.name(), peers.toString());
      Process p;
      try {
        p = pb.start();
      } catch (IOException e) {
        throw new LabException("cannot start the probe driver: " + e.getMessage());
      }
      KernelJudge j = new KernelJudge(sender, receiver, ifs, p);
      j.expect("ready", List.of());
      return j;
    } catch (LabException | RuntimeException e) {
      if (receiver != null) receiver.close();
      if (sender != null) sender.close();
      throw e;
    }
  }

  private static void quiet(Netns ns) throws LabException {
    ns.execOrThrow("sh", "-c", "for f in all default; do echo 0 > /proc/sys/net/ipv6/conf/$f/accept_dad;"
        + " echo 0 > /proc/sys/net/ipv6/conf/$f/dad_transmits; echo 0 > /proc/sys/net/ipv6/conf/$f/router_solicitations;"
        + " echo 1 > /proc/sys/net/ipv6/conf/$f/addr_gen_mode; done");
  }

  private static void batch(Netns ns, String lines) throws LabException {
    Exec.Result r = ns.ipBatch(lines);
    if (!r.ok()) throw new LabException("ip -batch in " + ns.name() + " failed: " + r.firstLine());
  }

  List<String> interfaces() {
    return interfaces;
  }

  /** How many restores the judge has run (a family whose rules did not change is not loaded again). */
  long restores() {
    return restores;
  }

  /**
   * Loads one family's rules (absent: empty tables that accept everything) with the real
   * iptables-restore; tables the text does not declare are emptied in the same commit, so
   * nothing of an earlier ruleset stays. Returns the refusal, if the kernel refused.
   */
  Optional<String> load(Family family, Optional<String> rules) throws LabException {
    int slot = family == Family.IPV4 ? 0 : 1;
    String text = withEmptyTables(rules.orElse(""));
    if (text.equals(loaded[slot])) return Optional.empty();
    loaded[slot] = null;
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    List<String> reply = request("load " + (family == Family.IPV4 ? 4 : 6) + " " + body.length, body);
    restores++;
    String r = reply.get(0);
    if (r.equals("ok")) {
      loaded[slot] = text;
      return Optional.empty();
    }
    return Optional.of(r.startsWith("refused ") ? r.substring(8) : r);
  }

  /** Empty declarations of the tables {@code rules} does not declare, then the rules. */
  static String withEmptyTables(String rules) {
    Set<String> declared = new LinkedHashSet<>();
    Matcher m = TABLE.matcher(rules);
    while (m.find()) declared.add(m.group(1));
    StringBuilder sb = new StringBuilder();
    for (String t : TABLES) {
      if (declared.contains(t)) continue;
      sb.append('*').append(t).append('\n');
      for (String c : builtins(t)) sb.append(':').append(c).append(" ACCEPT [0:0]\n");
      sb.append("COMMIT\n");
    }
    return sb.append(rules).toString();
  }

  private static List<String> builtins(String table) {
    return switch (table) {
      case "raw" -> List.of("PREROUTING", "OUTPUT");
      case "mangle" -> List.of("PREROUTING", "INPUT", "FORWARD", "OUTPUT", "POSTROUTING");
      case "nat" -> List.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING");
      default -> List.of("INPUT", "FORWARD", "OUTPUT");
    };
  }

  /** Sends every probe once (after a conntrack flush) and returns whether each arrived at the other end of its device. */
  Map<Probe, Boolean> send(List<Probe> probes) throws LabException {
    List<Probe> unique = List.copyOf(new LinkedHashSet<>(probes));
    StringBuilder body = new StringBuilder();
    List<Integer> ports = new ArrayList<>();
    for (Probe p : unique) {
      if (!interfaces.contains(p.oif())) throw new LabException("probe " + p.traceLine() + ": no interface " + p.oif());
      if (!PacketOracle.sendable(p)) throw new LabException("probe " + p.traceLine() + " cannot leave a device whatever the rules say");
      int port = 10_000 + nextPort++ % 55_000;
      ports.add(port);
      body.append(p.family() == Family.IPV4 ? '4' : '6').append(' ').append(p.proto()).append(' ').append(p.dst()).append(' ')
          .append(Math.max(p.dport(), 0)).append(' ').append(p.oif()).append(' ').append(port).append('\n');
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    List<String> reply = request("send " + bytes.length, bytes);
    Map<Integer, String[]> byPort = new LinkedHashMap<>();
    for (String line : reply) {
      String[] f = line.split(" ");
      if (f.length == 4) byPort.put(Integer.parseInt(f[0]), f);
    }
    Map<Probe, Boolean> out = new LinkedHashMap<>();
    for (int i = 0; i < unique.size(); i++) {
      String[] f = byPort.get(ports.get(i));
      if (f == null) throw new LabException("the driver did not report probe " + unique.get(i).traceLine());
      String how = f[1] + " " + f[2];
      if (LAB_FAULTS.contains(how)) throw new LabException("probe " + unique.get(i).traceLine() + " could not be sent: errno " + f[2]);
      out.put(unique.get(i), f[3].equals("1"));
    }
    return out;
  }

  private List<String> request(String header, byte[] body) throws LabException {
    try {
      toDriver.write((header + "\n").getBytes(StandardCharsets.UTF_8));
      toDriver.write(body);
      toDriver.flush();
    } catch (IOException e) {
      throw new LabException("the probe driver is gone: " + e.getMessage() + " " + errors());
    }
    return expect("end", List.of());
  }

  /** The reply lines up to {@code last}; a "fail" line is the driver's own error. */
  private List<String> expect(String last, List<String> none) throws LabException {
    List<String> lines = new ArrayList<>(none);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_MILLIS);
    while (true) {
      String line;
      try {
        line = replies.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while waiting for the probe driver");
      }
      if (line == null) throw new LabException("the probe driver did not answer within " + REPLY_MILLIS + " ms " + errors());
      if (line.equals("\u0000eof")) throw new LabException("the probe driver exited: " + errors());
      if (line.startsWith("fail ")) throw new LabException("the probe driver failed: " + line.substring(5));
      if (line.equals(last)) return lines;
      lines.add(line);
    }
  }

  private String errors() {
    synchronized (driverErrors) {
      return driverErrors.toString().strip();
    }
  }

  @Override
  public void close() {
    try {
      toDriver.close();
      if (!driver.waitFor(5, TimeUnit.SECONDS)) driver.destroyForcibly();
    } catch (IOException e) {
      driver.destroyForcibly();
    } catch (InterruptedException e) {
      driver.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      receiver.close();
      sender.close();
    }
  }

  /**
   * The driver (standard library only). argv: the receiver's namespace file, and
   * "oif=peer,..." pairs. It opens its AF_PACKET socket inside the receiver (setns there and
   * back), then answers requests on stdin: "load FAMILY N" with N bytes of restore input, and
   * "send N" with N bytes of "FAMILY PROTO DST DPORT OIF SPORT" lines, answered with one
   * "SPORT STATUS ARRIVED" line per probe. After the probes it puts one marker frame on every
   * device used (a packet socket, past netfilter) and reads arrivals until each marker is back.
   */
  private static final String DRIVER = String.join("\n",
      "import ctypes, os, socket, struct, subprocess, sys, time",
      "CLONE_NEWNET = 0x40000000",
      "libc = ctypes.CDLL(None, use_errno=True)",
      "own = os.open('/proc/self/ns/net', os.O_RDONLY)",
      "there = os.open(sys.argv[1], os.O_RDONLY)",
      "peer = dict(x.split('=') for x in sys.argv[2].split(','))",
      "oif_of = {v: k for k, v in peer.items()}",
      "if libc.setns(there, CLONE_NEWNET) != 0: sys.exit('setns: %d' % ctypes.get_errno())",
      "sniff = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))",
      "sniff.setsockopt(socket.SOL_SOCKET, 33, 1 << 25)",
      "sniff.setblocking(False)",
      "if libc.setns(own, CLONE_NEWNET) != 0: sys.exit('setns back: %d' % ctypes.get_errno())",
      "marks = {}",
      "for o in peer:",
      "    m = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)",
      "    m.bind((o, 0))",
      "    marks[o] = m",
      "nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 12)",
      "def flush():",
      "    for fam in (2, 10):",
      "        nl.send(struct.pack('=LHHLL', 20, (1 << 8) | 2, 5, 1, 0) + struct.pack('=BBH', fam, 0, 0))",
      "        r = nl.recv(4096)",
      "        err = struct.unpack('=i', r[16:20])[0]",
      "        if err not in (0, -2): raise OSError(-err, 'conntrack flush')",
      "def csum(b):",
      "    if len(b) % 2: b += b'\\0'",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    s = (s >> 16) + (s & 0xffff); s += s >> 16",
      "    return (~s) & 0xffff",
      "def send(fam, proto, dst, dport, oif, sport):",
      "    af = socket.AF_INET6 if fam == '6' else socket.AF_INET",
      "    if proto == 'udp': s = socket.socket(af, socket.SOCK_DGRAM)",
      "    elif proto == 'tcp': s = socket.socket(af, socket.SOCK_STREAM)",
      "    else: s = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_ICMPV6 if fam == '6' else socket.IPPROTO_ICMP)",
      "    try:",
      "        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, oif.encode())",
      "        if proto != 'tcp' and fam == '4': s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)",
      "        if proto == 'udp':",
      "            s.bind(('', sport)); s.sendto(b'ksa', (dst, dport))",
      "        elif proto == 'tcp':",
      "            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "            s.bind(('', sport)); s.setblocking(False)",
      "            r = s.connect_ex((dst, dport))",
      "            if r not in (0, 115): raise OSError(r, 'connect')",
      "        else:",
      "            kind = 128 if fam == '6' else 8",
      "            head = struct.pack('!BBHHH', kind, 0, 0, sport, 1)",
      "            c = 0 if fam == '6' else csum(head + b'ksa')",
      "            s.sendto(struct.pack('!BBHHH', kind, 0, c, sport, 1) + b'ksa', (dst, 0))",
      "        return 'sent -'",
      "    except OSError as e:",
      "        return 'error ' + str(e.errno)",
      "    finally:",
      "        s.close()",
      "def arrival(data):",
      "    et = data[12:14]",
      "    if et == b'\\x08\\x00':",
      "        fam, l4, proto = '4', 14 + (data[14] & 15) * 4, data[23]",
      "        if struct.unpack('!H', data[20:22])[0] & 0x1fff: return None",
      "        icmp, echo = 1, 8",
      "    elif et == b'\\x86\\xdd':",
      "        fam, l4, proto = '6', 54, data[20]",
      "        icmp, echo = 58, 128",
      "    else: return None",
      "    if proto == 17: return (fam, 'udp', struct.unpack('!H', data[l4:l4 + 2])[0])",
      "    if proto == 6 and data[l4 + 13] & 0x12 == 0x02: return (fam, 'tcp', struct.unpack('!H', data[l4:l4 + 2])[0])",
      "    if proto == icmp and data[l4] == echo: return (fam, 'icmp', struct.unpack('!H', data[l4 + 4:l4 + 6])[0])",
      "    return None",
      "def drain(seen, markers):",
      "    while True:",
      "        try: data, addr = sniff.recvfrom(65535)",
      "        except BlockingIOError: return",
      "        if addr[2] == 4: continue",
      "        oif = oif_of.get(addr[0])",
      "        if oif is None: continue",
      "        if addr[1] == 0x88b5:",
      "            markers.discard((oif, data[14:30]))",
      "            continue",
      "        a = arrival(data)",
      "        if a: seen.add((oif,) + a)",
      "serial = 0",
      "def probe(lines):",
      "    global serial",
      "    flush()",
      "    drain(set(), set())",
      "    probes = [l.split() for l in lines if l.strip()]",
      "    status = [send(p[0], p[1], p[2], int(p[3]), p[4], int(p[5])) for p in probes]",
      "    serial += 1",
      "    tag = ('ksa-end-%08d' % serial).encode()[:16]",
      "    markers = set()",
      "    for o in sorted(set(p[4] for p in probes)):",
      "        marks[o].send(b'\\xff' * 6 + b'\\x02\\x00\\x00\\x00\\x00\\x01' + b'\\x88\\xb5' + tag + b'\\0' * 30)",
      "        markers.add((o, tag))",
      "    seen = set()",
      "    deadline = time.monotonic() + 5",
      "    while markers and time.monotonic() < deadline:",
      "        drain(seen, markers)",
      "        if markers: time.sleep(0.0005)",
      "    if markers: raise OSError(0, 'marker frames did not come back: %s' % sorted(markers))",
      "    time.sleep(0.001)",
      "    drain(seen, set())",
      "    for p, st in zip(probes, status):",
      "        got = (p[4], p[0], p[1], int(p[5])) in seen",
      "        print(p[5], st, 1 if got else 0)",
      "print('ready')",
      "inp = sys.stdin.buffer",
      "while True:",
      "    head = inp.readline()",
      "    if not head: break",
      "    f = head.split()",
      "    body = inp.read(int(f[-1]))",
      "    try:",
      "        if f[0] == b'load':",
      "            tool = 'iptables-restore' if f[1] == b'4' else 'ip6tables-restore'",
      "            r = subprocess.run([tool], input=body, capture_output=True, timeout=60)",
      "            if r.returncode == 0: print('ok')",
      "            else:",
      "                msg = (r.stderr or r.stdout).decode('utf-8', 'replace').strip().splitlines()",
      "                print('refused ' + (msg[0] if msg else 'exit %d' % r.returncode).replace('\\r', ' '))",
      "        elif f[0] == b'send':",
      "            probe(body.decode().split('\\n'))",
      "        else:",
      "            print('fail unknown request ' + f[0].decode('ascii', 'replace'))",
      "    except Exception as e:",
      "        print('fail ' + repr(e).replace('\\n', ' '))",
      "    print('end')",
      "");
}
