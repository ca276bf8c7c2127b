package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ksaudit.model.Family;

/**
 * Sends a UDP datagram to each of a few destinations every 10 ms from inside the client, routed
 * as the client routes it at that moment, until stopped; then says how each send ended. This
 * measures windows that a single probe would miss: a reconnecting VPN leaves one of some tens
 * of milliseconds.
 */
final class StreamSender {
  /** One destination and the source port that tells its datagrams apart at the counters. */
  record Stream(String id, Family family, String dst, int dport, int sport) {}

  /** How the sends of one stream ended: sent, refused by the rules (EPERM), failed otherwise (no route). */
  record Sends(long sent, long refused, long failed) {
    long total() {
      return sent + refused + failed;
    }
  }

  // SIGTERM ends the loop between two rounds; the counts are the last lines of the log
  private static final String PROGRAM = String.join("\n",
      "import signal, socket, sys, time",
      "stop = False",
      "def end(*_):",
      "    global stop",
      "    stop = True",
      "signal.signal(signal.SIGTERM, end)",
      "streams = []",
      "for a in sys.argv[1:]:",
      "    i, fam, dst, dport, sport = a.split(',')",
      "    s = socket.socket(socket.AF_INET6 if fam == '6' else socket.AF_INET, socket.SOCK_DGRAM)",
      "    s.bind(('', int(sport)))",
      "    streams.append([i, s, (dst, int(dport)), 0, 0, 0])",
      "print('READY', flush=True)",
      "payload = b'ksaudit-window__'",
      "while not stop:",
      "    t = time.monotonic()",
      "    for st in streams:",
      "        try:",
      "            st[1].sendto(payload, st[2]); st[3] += 1",
      "        except OSError as e:",
      "            if e.errno == 1: st[4] += 1",
      "            else: st[5] += 1",
      "    time.sleep(max(0.0, 0.01 - (time.monotonic() - t)))",
      "for st in streams: print('COUNT', st[0], st[3], st[4], st[5])",
      "print('END', flush=True)",
      "");

  private final LabProcess process;

  private StreamSender(LabProcess process) {
    this.process = process;
  }

  /** Starts sending; returns once the first round is about to go out. */
  static StreamSender start(Lab lab, List<Stream> streams) throws LabException {
    List<String> cmd = new ArrayList<>(List.of(Python.executable(), "-c", PROGRAM));
    for (Stream s : streams) {
      cmd.add(s.id() + "," + (s.family() == Family.IPV6 ? "6" : "4") + "," + s.dst() + "," + s.dport() + "," + s.sport());
    }
    LabProcess p = lab.start("stream-sender", lab.client(), cmd);
    if (!p.awaitLog(l -> l.contains("READY"), 20_000)) {
      p.kill();
      throw new LabException("the stream sender did not start: " + p.logTail(5));
    }
    return new StreamSender(p);
  }

  /** Stops sending and returns, per stream id, how its sends ended. */
  Map<String, Sends> stop() throws LabException {
    process.terminate(5_000);
    Map<String, Sends> out = new HashMap<>();
    for (String line : process.logText().split("\n")) {
      String[] f = line.strip().split(" ");
      if (f.length == 5 && f[0].equals("COUNT")) {
        out.put(f[1], new Sends(Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])));
      }
    }
    if (out.isEmpty()) throw new LabException("the stream sender ended without its counts: " + process.logTail(5));
    return out;
  }
}
