package org.ksaudit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.commons.net.echo.EchoTCPClient;
import org.apache.commons.net.echo.EchoUDPClient;
import org.apache.commons.net.ntp.NTPUDPClient;
import org.apache.commons.net.ntp.TimeInfo;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The client side of the service probes, run inside the client namespace so its traffic
 * follows the client's routes and rules like any application's. Reads a timeout in
 * milliseconds, then lines {@code ID KIND ADDRESS} (KIND: dns-udp, dns-tcp, http, echo-tcp,
 * echo-udp, ntp), runs them all at once and prints {@code ID ok DETAIL} or
 * {@code ID fail REASON} per line, in input order.
 */
public final class ClientProber {
  private ClientProber() {}

  /** A service request of the prober: what the lab asks the client to do. */
  record Request(String id, String kind, String address) {
    String line() {
      return id + " " + kind + " " + address;
    }
  }

  public static void main(String[] args) throws IOException, InterruptedException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String first = in.readLine();
    if (first == null) return;
    int timeout = Integer.parseInt(first.strip());
    List<Request> requests = new ArrayList<>();
    for (String line; (line = in.readLine()) != null; ) {
      String[] f = line.strip().split("\\s+");
      if (f.length == 3) requests.add(new Request(f[0], f[1], f[2]));
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, requests.size()), r -> {
      Thread t = new Thread(r, "probe");
      t.setDaemon(true);
      return t;
    });
    List<Future<String>> results = new ArrayList<>();
    for (Request r : requests) results.add(pool.submit(() -> run(r, timeout)));
    StringBuilder out = new StringBuilder();
    // one deadline for all: a request whose client library stacks several timeouts is cut off
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout * 2L + 500);
    for (int i = 0; i < requests.size(); i++) {
      String res;
      try {
        res = results.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        res = "fail no answer within " + (timeout * 2L + 500) + " ms";
      } catch (java.util.concurrent.ExecutionException e) {
        res = "fail " + oneLine(e.getCause() == null ? e : e.getCause());
      }
      out.append(requests.get(i).id()).append(' ').append(res).append('\n');
    }
    System.out.print(out);
    System.out.flush();
    pool.shutdownNow();
    // dnsjava's NIO thread is not a daemon: leave without waiting for it
    Runtime.getRuntime().halt(0);
  }

  static String run(Request r, int timeout) {
    try {
      InetAddress a = LabAddress.parse(r.address());
      String detail = switch (r.kind()) {
        case "dns-udp" -> dns(r.id(), a, false, timeout);
        case "dns-tcp" -> dns(r.id(), a, true, timeout);
        case "http" -> http(a, timeout);
        case "echo-tcp" -> echoTcp(a, timeout);
        case "echo-udp" -> echoUdp(a, timeout);
        case "ntp" -> ntp(a, timeout);
        default -> throw new IllegalArgumentException("unknown probe kind " + r.kind());
      };
      return "ok " + detail;
    } catch (Exception e) {
      return "fail " + oneLine(e);
    }
  }

  /** The query name carries the probe's ID, so the DNS server's log tells which probe arrived. */
  static String queryName(String id) {
    return id + ".probe.ksaudit.test.";
  }

  private static String dns(String id, InetAddress server, boolean tcp, int timeout) throws IOException {
    SimpleResolver res = new SimpleResolver(server);
    res.setTCP(tcp);
    res.setTimeout(Duration.ofMillis(timeout));
    Message q = Message.newQuery(Record.newRecord(Name.fromString(queryName(id)), Type.A, DClass.IN));
    Message a = res.send(q);
    if (a.getRcode() != Rcode.NOERROR) return "rcode " + Rcode.string(a.getRcode());
    List<Record> answers = a.getSection(org.xbill.DNS.Section.ANSWER);
    return answers.isEmpty() ? "no-answer" : answers.get(0).rdataToString();
  }

  private static String http(InetAddress host, int timeout) throws IOException {
    String h = host instanceof java.net.Inet6Address ? "[" + LabAddress.text(host) + "]" : LabAddress.text(host);
    Element shown = Jsoup.connect("http://" + h + "/").timeout(timeout).get().selectFirst("#address");
    if (shown == null) throw new IOException("the page shows no address");
    return shown.text();
  }

  private static String echoTcp(InetAddress host, int timeout) throws IOException {
    EchoTCPClient c = new EchoTCPClient();
    c.setConnectTimeout(timeout);
    c.setDefaultTimeout(timeout);
    try {
      c.connect(host);
      c.setSoTimeout(timeout);
      byte[] msg = "ksaudit\n".getBytes(StandardCharsets.US_ASCII);
      OutputStream o = c.getOutputStream();
      o.write(msg);
      o.flush();
      byte[] back = c.getInputStream().readNBytes(msg.length);
      if (!java.util.Arrays.equals(msg, back)) throw new IOException("echo returned something else");
      return "echoed";
    } finally {
      if (c.isConnected()) c.disconnect();
    }
  }

  private static String echoUdp(InetAddress host, int timeout) throws IOException {
    EchoUDPClient c = new EchoUDPClient();
    c.setDefaultTimeout(Duration.ofMillis(timeout));
    c.open();
    try {
      c.setSoTimeout(Duration.ofMillis(timeout));
      byte[] msg = "ksaudit".getBytes(StandardCharsets.US_ASCII);
      c.send(msg, host);
      byte[] buf = new byte[64];
      int n = c.receive(buf);
      if (n != msg.length) throw new IOException("echo returned " + n + " bytes");
      return "echoed";
    } finally {
      c.close();
    }
  }

  private static String ntp(InetAddress host, int timeout) throws IOException {
    NTPUDPClient c = new NTPUDPClient();
    c.setDefaultTimeout(Duration.ofMillis(timeout));
    c.open();
    try {
      c.setSoTimeout(Duration.ofMillis(timeout));
      TimeInfo t = c.getTime(host);
      return "stratum " + t.getMessage().getStratum();
    } finally {
      c.close();
    }
  }

  private static String oneLine(Throwable e) {
    String m = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    return m.replace('\n', ' ');
  }
}
