package org.ksaudit.lab;

import com.sun.net.httpserver.HttpServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * The lab's internet services, run inside the internet namespace: a DNS server that answers
 * every A/AAAA query and logs it, a web server whose page shows the address the request came
 * from, TCP and UDP echo, and an NTP responder. UDP services bind each service address
 * separately so replies leave from the address that was asked. Every request is logged on
 * stdout as {@code SERVICE SOURCE [DETAIL]}; {@code READY} follows startup.
 *
 * <p>Usage: {@code LabServices ANSWER_V4 ANSWER_V6 UDP_ADDRESS...}
 */
public final class LabServices {
  static final int DNS = 53;
  static final int ECHO = 7;
  static final int HTTP = 80;
  static final int NTP = 123;
  /** Seconds from the NTP epoch (1900) to the Unix epoch (1970). */
  private static final long NTP_OFFSET = 2_208_988_800L;

  private final InetAddress answerV4;
  private final InetAddress answerV6;
  private final PrintStream log;

  private LabServices(InetAddress answerV4, InetAddress answerV6, PrintStream log) {
    this.answerV4 = answerV4;
    this.answerV6 = answerV6;
    this.log = log;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: LabServices ANSWER_V4 ANSWER_V6 UDP_ADDRESS...");
      System.exit(2);
    }
    LabServices s = new LabServices(LabAddress.parse(args[0]), LabAddress.parse(args[1]), System.out);
    List<Thread> threads = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      InetAddress a = LabAddress.parse(args[i]);
      threads.add(s.udp(new DatagramSocket(new InetSocketAddress(a, DNS)), "dns-udp"));
      threads.add(s.udp(new DatagramSocket(new InetSocketAddress(a, ECHO)), "echo-udp"));
      threads.add(s.udp(new DatagramSocket(new InetSocketAddress(a, NTP)), "ntp"));
    }
    threads.add(s.tcp(DNS, "dns-tcp"));
    threads.add(s.tcp(ECHO, "echo-tcp"));
    s.web();
    // dnsjava's first answer loads and initialises dozens of classes, seconds on a loaded machine:
    // made before READY, so that the first probes' deadlines do not pay for it
    for (int type : new int[] {Type.A, Type.AAAA}) {
      new Message(s.answer(new Message(Message.newQuery(Record.newRecord(Name.fromString("warmup.ksaudit.test."), type, DClass.IN)).toWire())));
    }
    threads.forEach(Thread::start);
    s.logLine("READY");
  }

  private synchronized void logLine(String line) {
    log.println(line);
    log.flush();
  }

  private Thread udp(DatagramSocket socket, String service) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[4096];
      while (true) {
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
          socket.receive(in);
          byte[] req = java.util.Arrays.copyOf(in.getData(), in.getLength());
          byte[] reply = switch (service) {
            case "dns-udp" -> dnsAnswer(req, service, in.getAddress());
            case "ntp" -> ntpAnswer(req, in.getAddress());
            default -> echo(req, in.getAddress());
          };
          if (reply.length > 0) socket.send(new DatagramPacket(reply, reply.length, in.getSocketAddress()));
        } catch (IOException e) {
          logLine("error " + service + " " + e.getMessage());
        }
      }
    }, service);
    t.setDaemon(false);
    return t;
  }

  private byte[] echo(byte[] req, InetAddress from) {
    logLine("echo-udp " + LabAddress.text(from));
    return req;
  }

  private Thread tcp(int port, String service) throws IOException {
    ServerSocket server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("::"), port), 64);
    return new Thread(() -> {
      while (true) {
        try {
          Socket c = server.accept();
          Thread h = new Thread(() -> serveTcp(c, service), service + "-conn");
          h.setDaemon(true);
          h.start();
        } catch (IOException e) {
          logLine("error " + service + " " + e.getMessage());
        }
      }
    }, service);
  }

  private void serveTcp(Socket c, String service) {
    try (c) {
      c.setSoTimeout(10_000);
      InputStream in = c.getInputStream();
      OutputStream out = c.getOutputStream();
      if (service.equals("dns-tcp")) {
        DataInputStream din = new DataInputStream(in);
        DataOutputStream dout = new DataOutputStream(out);
        int len = din.readUnsignedShort();
        byte[] req = din.readNBytes(len);
        byte[] reply = dnsAnswer(req, service, c.getInetAddress());
        dout.writeShort(reply.length);
        dout.write(reply);
        dout.flush();
      } else {
        logLine("echo-tcp " + LabAddress.text(c.getInetAddress()));
        byte[] buf = new byte[4096];
        int n;
        while ((n = in.read(buf)) > 0) {
          out.write(buf, 0, n);
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client went away: nothing to answer
    }
  }

  private byte[] dnsAnswer(byte[] req, String service, InetAddress from) throws IOException {
    Message q = new Message(req);
    Record question = q.getQuestion();
    logLine(service + " " + LabAddress.text(from) + " " + (question == null ? "-" : question.getName()));
    return answer(q);
  }

  private byte[] answer(Message q) {
    Record question = q.getQuestion();
    Message r = new Message(q.getHeader().getID());
    r.getHeader().setFlag(Flags.QR);
    r.getHeader().setFlag(Flags.AA);
    if (q.getHeader().getFlag(Flags.RD)) r.getHeader().setFlag(Flags.RD);
    r.getHeader().setFlag(Flags.RA);
    if (question == null) {
      r.getHeader().setRcode(Rcode.FORMERR);
      return r.toWire();
    }
    r.addRecord(question, Section.QUESTION);
    Name name = question.getName();
    if (question.getType() == Type.A) r.addRecord(new ARecord(name, DClass.IN, 60, answerV4), Section.ANSWER);
    if (question.getType() == Type.AAAA) r.addRecord(new AAAARecord(name, DClass.IN, 60, answerV6), Section.ANSWER);
    return r.toWire();
  }

  private byte[] ntpAnswer(byte[] req, InetAddress from) {
    logLine("ntp " + LabAddress.text(from));
    if (req.length < 48) return new byte[0];
    byte[] r = new byte[48];
    int version = (req[0] >> 3) & 7;
    r[0] = (byte) ((version << 3) | 4);
    r[1] = 1;
    r[2] = req[2];
    r[3] = (byte) -20;
    r[12] = 'L';
    r[13] = 'O';
    r[14] = 'C';
    r[15] = 'L';
    long now = System.currentTimeMillis();
    putTimestamp(r, 16, now);
    System.arraycopy(req, 40, r, 24, 8);
    putTimestamp(r, 32, now);
    putTimestamp(r, 40, now);
    return r;
  }

  private static void putTimestamp(byte[] b, int at, long millis) {
    long seconds = millis / 1000 + NTP_OFFSET;
    long fraction = ((millis % 1000) << 32) / 1000;
    for (int i = 0; i < 4; i++) b[at + i] = (byte) (seconds >>> (24 - 8 * i));
    for (int i = 0; i < 4; i++) b[at + 4 + i] = (byte) (fraction >>> (24 - 8 * i));
  }

  private void web() throws IOException {
    HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("::"), HTTP), 64);
    http.createContext("/", ex -> {
      String from = LabAddress.text(ex.getRemoteAddress().getAddress());
      logLine("http " + from);
      byte[] page = ("<!doctype html><html><head><title>ksaudit lab</title></head><body>"
          + "<p>Your address is <span id=\"address\">" + from + "</span></p></body></html>")
          .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      ex.sendResponseHeaders(200, page.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(page);
      }
    });
    http.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    }));
    http.start();
  }
}
