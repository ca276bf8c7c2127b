package org.ksaudit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.ksaudit.model.Family;

/**
 * Sends TCP packets that are not a new connection's SYN from inside a namespace, in two
 * phases with the rules loaded in between: first every established segment's connection is
 * opened (a real handshake, while the namespace has no rules), then, after {@link #go}, one
 * 16-byte data segment (PSH,ACK) is sent on each open connection and every lone segment (a raw
 * TCP header with the given flags, from the given port, with a correct checksum) is sent.
 * Like {@link RawSender}, a short python3 program (standard library only) does the sending.
 */
final class SegmentSender implements AutoCloseable {
  /** One packet: an established connection's data segment, or a lone segment with {@code flags}. */
  record Segment(String token, Probe probe, int sourcePort, boolean established, int flags) {}

  private static final String PROGRAM = String.join("\n",
      "import random, socket, struct, sys",
      "def csum(b):",
      "    if len(b) % 2: b += b'\\0'",
      "    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))",
      "    s = (s >> 16) + (s & 0xffff); s += s >> 16",
      "    return (~s) & 0xffff",
      "def fam_of(f): return socket.AF_INET6 if f == '6' else socket.AF_INET",
      "def bound(af, kind, proto, oif):",
      "    s = socket.socket(af, kind, proto)",
      "    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, oif.encode())",
      "    return s",
      "opened = {}",
      "lone = []",
      "for line in sys.stdin:",
      "    f = line.split()",
      "    if not f: continue",
      "    if f[0] == 'go': break",
      "    tok, kind, fam, dst, dport, oif, sport, flags = f[0], f[1], f[2], f[3], int(f[4]), f[5], int(f[6]), int(f[7])",
      "    if kind == 'lone':",
      "        lone.append((tok, fam, dst, dport, oif, sport, flags))",
      "        continue",
      "    try:",
      "        s = bound(fam_of(fam), socket.SOCK_STREAM, 0, oif)",
      "        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
      "        s.bind(('', sport)); s.settimeout(3); s.connect((dst, dport))",
      "        opened[tok] = s",
      "        print(tok, 'connected', flush=True)",
      "    except OSError as e:",
      "        print(tok, 'error', e.errno, flush=True)",
      "for tok, s in opened.items():",
      "    try:",
      "        s.send(tok.encode().ljust(16, b'_')); print(tok, 'sent', flush=True)",
      "    except OSError as e:",
      "        print(tok, 'error', e.errno, flush=True)",
      "for tok, fam, dst, dport, oif, sport, flags in lone:",
      "    af = fam_of(fam)",
      "    try:",
      "        s = bound(af, socket.SOCK_RAW, socket.IPPROTO_TCP, oif)",
      "        src = '2001:2::1' if fam == '6' else '198.18.0.1'",
      "        ack = random.getrandbits(32) if flags & 0x10 else 0",
      "        head = struct.pack('!HHIIBBHHH', sport, dport, random.getrandbits(32), ack, 5 << 4, flags, 64240, 0, 0)",
      "        if fam == '6': pseudo = socket.inet_pton(af, src) + socket.inet_pton(af, dst) + struct.pack('!I3xB', 20, 6)",
      "        else: pseudo = socket.inet_pton(af, src) + socket.inet_pton(af, dst) + struct.pack('!BBH', 0, 6, 20)",
      "        head = head[:16] + struct.pack('!H', csum(pseudo + head)) + head[18:]",
      "        s.sendto(head, (dst, 0)); print(tok, 'sent', flush=True)",
      "    except OSError as e:",
      "        print(tok, 'error', e.errno, flush=True)",
      "    finally:",
      "        s.close()",
      "print('done', flush=True)",
      "sys.stdin.read()",
      "");

  private final Process process;
  private final Writer in;
  private final BufferedReader out;
  private final Map<String, String> results = new LinkedHashMap<>();

  private SegmentSender(Process process) {
    this.process = process;
    this.in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  /** Starts the sender in {@code ns} and opens the connections of the established segments; returns once each has answered. */
  static SegmentSender open(Netns ns, List<Segment> segments) throws LabException {
    SegmentSender s;
    try {
      Process p = new ProcessBuilder("ip", "netns", "exec", ns.name(), Python.executable(), "-c", PROGRAM).redirectErrorStream(true).start();
      s = new SegmentSender(p);
    } catch (IOException e) {
      throw new LabException("cannot start the segment sender in " + ns.name() + ": " + e.getMessage());
    }
    try {
      long connections = 0;
      for (Segment g : segments) {
        Probe p = g.probe();
        s.in.write(g.token() + " " + (g.established() ? "open" : "lone") + " " + (p.family() == Family.IPV6 ? '6' : '4') + " "
            + p.dst() + " " + p.dport() + " " + p.oif() + " " + g.sourcePort() + " " + g.flags() + "\n");
        if (g.established()) connections++;
      }
      s.in.flush();
      for (long k = 0; k < connections; k++) s.record(s.readLine());
    } catch (IOException | LabException e) {
      s.close();
      throw e instanceof LabException l ? l : new LabException("segment sender: " + e.getMessage());
    }
    return s;
  }

  /** Whether the connection of an established segment was opened. */
  boolean connected(String token) {
    return "connected".equals(results.get(token));
  }

  /** Sends every segment; returns token -> "sent" or "error ERRNO". */
  Map<String, String> go() throws LabException {
    try {
      in.write("go\n");
      in.flush();
      while (true) {
        String line = readLine();
        if (line.equals("done")) break;
        record(line);
      }
    } catch (IOException e) {
      throw new LabException("segment sender: " + e.getMessage());
    }
    return Map.copyOf(results);
  }

  private String readLine() throws IOException, LabException {
    String line = out.readLine();
    if (line == null) throw new LabException("the segment sender stopped early");
    return line;
  }

  private void record(String line) throws LabException {
    String[] f = line.split(" ", 2);
    if (f.length != 2) throw new LabException("the segment sender said: " + line);
    results.put(f[0], f[1]);
  }

  /** Ends the program, which closes the connections (their FIN segments are not counted). */
  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      // the process is ended below either way
    }
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
