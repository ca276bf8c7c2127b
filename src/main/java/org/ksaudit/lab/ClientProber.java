package org.ksaudit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import org.xbill.DNS.Type;

/**
 * The client side of the service probes, run inside the client namespace so its traffic
 * follows the client's routes and rules like any application's. One process serves a whole
 * lab run, batch after batch (a JVM's start and dnsjava's warm-up take a second or more on a
 * loaded machine, once instead of once per scenario). A batch is a line with a timeout in
 * milliseconds, lines {@code ID KIND ADDRESS SPORT} (KIND: dns-udp, dns-tcp, http, echo-tcp,
 * echo-udp, ntp) and a line {@code end}; the prober runs them all at once and answers
 * {@code ID ok DETAIL} or {@code ID fail REASON} per line, in input order, then a line
 * {@code done}. It ends when its input does. Each request uses the source port it is given,
 * by which the lab recognises its packets wherever they arrive, even after a DNAT.
 */
public final class ClientProber {
  private ClientProber() {}

  /** The line that ends a batch of requests. */
  static final String END = "end";
  /** The line that ends the answers to a batch. */
  static final String DONE = "done";

  /** A service request of the prober: what the lab asks the client to do. */
  record Request(String id, String kind, String address, int sourcePort) {}

  public static void main(String[] args) throws IOException {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    warmUp();
    // requests cut off at a batch's deadline may still block in their threads until their own
    // timeouts: daemon threads, which neither hold up the next batch nor the exit
    ExecutorService pool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "probe");
      t.setDaemon(true);
      return t;
    });
    for (String first; (first = in.readLine()) != null; ) {
      if (first.isBlank()) continue;
      int timeout = Integer.parseInt(first.strip());
      List<Request> requests = new ArrayList<>();
      for (String line; (line = in.readLine()) != null && !line.strip().equals(END); ) {
        String[] f = line.strip().split("\\s+");
        if (f.length == 4) requests.add(new Request(f[0], f[1], f[2], Integer.parseInt(f[3])));
      }
      System.out.print(batch(pool, requests, timeout) + DONE + "\n");
      System.out.flush();
    }
    Runtime.getRuntime().halt(0);
  }

  /**
   * The first use of each client library (dnsjava, jsoup, commons-net, the socket classes)
   * loads and initialises dozens of classes: seconds on a loaded machine. Done before the first
   * batch is read, so that no request's deadline pays for it and the JVM's start overlaps the
   * VPN's handshake.
   */
  private static void warmUp() throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(queryName("warmup")), Type.A, DClass.IN));
    Message a = new Message(q.toWire());
    a.getSection(org.xbill.DNS.Section.ANSWER);
    Rcode.string(a.getRcode());
    Jsoup.parse("<p id=address>192.0.2.1</p>", "http://192.0.2.1/").selectFirst("#address").text();
    new EchoTCPClient().setConnectTimeout(1);
    new EchoUDPClient().setDefaultTimeout(Duration.ofMillis(1));
    new NTPUDPClient().setDefaultTimeout(Duration.ofMillis(1));
    new org.apache.commons.net.ntp.NtpV3Impl().setVersion(3);
    try (Socket s = new Socket(); java.net.DatagramSocket d = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      s.setReuseAddress(true);
      d.setSoTimeout(1);
    }
    LabAddress.text(LabAddress.parse("2001:db8::1"));
  }

  private static String batch(ExecutorService pool, List<Request> requests, int timeout) {
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
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        res = "fail interrupted";
      }
      out.append(requests.get(i).id()).append(' ').append(res).append('\n');
    }
    return out.toString();
  }

  static String run(Request r, int timeout) {
    try {
      InetAddress a = LabAddress.parse(r.address());
      InetAddress any = InetAddress.getByName(a instanceof java.net.Inet6Address ? "::" : "0.0.0.0");
      int port = r.sourcePort();
      String detail = switch (r.kind()) {
        case "dns-udp" -> dns(r.id(), a, new InetSocketAddress(any, port), false, timeout);
        case "dns-tcp" -> dns(r.id(), a, new InetSocketAddress(any, port), true, timeout);
        case "http" -> http(a, new InetSocketAddress(any, port), timeout);
        case "echo-tcp" -> echoTcp(a, any, port, timeout);
        case "echo-udp" -> echoUdp(a, port, timeout);
        case "ntp" -> ntp(a, port, timeout);
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

  /** The first two labels of the probe's query name as they are on the wire, in iptables' --hex-string notation. */
  static String queryNameLabel(String id) {
    return String.format("|%02x|%s|05|probe", id.length(), id);
  }

  /**
   * One A query built and read by dnsjava, sent over a socket of our own: dnsjava's resolver
   * picks its own source port, and the lab must know the port to recognise the query.
   */
  private static String dns(String id, InetAddress server, InetSocketAddress local, boolean tcp, int timeout) throws IOException {
    Message q = Message.newQuery(Record.newRecord(Name.fromString(queryName(id)), Type.A, DClass.IN));
    byte[] query = q.toWire();
    byte[] reply;
    if (tcp) {
      try (Socket s = new Socket()) {
        s.setReuseAddress(true);
        s.bind(local);
        s.connect(new InetSocketAddress(server, 53), timeout);
        s.setSoTimeout(timeout);
        java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        out.flush();
        java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
        reply = in.readNBytes(in.readUnsignedShort());
      }
    } else {
      try (java.net.DatagramSocket s = new java.net.DatagramSocket(local)) {
        s.setSoTimeout(timeout);
        s.send(new java.net.DatagramPacket(query, query.length, new InetSocketAddress(server, 53)));
        java.net.DatagramPacket in = new java.net.DatagramPacket(new byte[4096], 4096);
        s.receive(in);
        reply = java.util.Arrays.copyOf(in.getData(), in.getLength());
      }
    }
    Message a = new Message(reply);
    if (a.getHeader().getID() != q.getHeader().getID()) throw new IOException("answer to another query");
    if (a.getRcode() != Rcode.NOERROR) return "rcode " + Rcode.string(a.getRcode());
    List<Record> answers = a.getSection(org.xbill.DNS.Section.ANSWER);
    return answers.isEmpty() ? "no-answer" : answers.get(0).rdataToString();
  }

  /** GET / over a socket bound to the probe's port; jsoup reads the page for the address it shows. */
  private static String http(InetAddress host, InetSocketAddress local, int timeout) throws IOException {
    String h = host instanceof java.net.Inet6Address ? "[" + LabAddress.text(host) + "]" : LabAddress.text(host);
    try (Socket s = new Socket()) {
      s.setReuseAddress(true);
      s.bind(local);
      s.connect(new InetSocketAddress(host, 80), timeout);
      s.setSoTimeout(timeout);
      OutputStream o = s.getOutputStream();
      o.write(("GET / HTTP/1.0\r\nHost: " + h + "\r\nUser-Agent: ksaudit-lab\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      o.flush();
      String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int body = response.indexOf("\r\n\r\n");
      if (!response.startsWith("HTTP/1.") || body < 0) throw new IOException("not an HTTP response");
      String status = response.substring(0, response.indexOf("\r\n"));
      if (!status.contains(" 200 ")) throw new IOException(status);
      Element shown = Jsoup.parse(response.substring(body + 4), "http://" + h + "/").selectFirst("#address");
      if (shown == null) throw new IOException("the page shows no address");
      return shown.text();
    }
  }

  private static String echoTcp(InetAddress host, InetAddress any, int port, int timeout) throws IOException {
    EchoTCPClient c = new EchoTCPClient();
    c.setConnectTimeout(timeout);
    c.setDefaultTimeout(timeout);
    try {
      c.connect(host, EchoTCPClient.DEFAULT_PORT, any, port);
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

  private static String echoUdp(InetAddress host, int port, int timeout) throws IOException {
    EchoUDPClient c = new EchoUDPClient();
    c.setDefaultTimeout(Duration.ofMillis(timeout));
    c.open(port);
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

  private static String ntp(InetAddress host, int port, int timeout) throws IOException {
    NTPUDPClient c = new NTPUDPClient();
    c.setDefaultTimeout(Duration.ofMillis(timeout));
    c.open(port);
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
