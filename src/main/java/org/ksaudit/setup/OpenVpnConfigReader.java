package org.ksaudit.setup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads an OpenVPN client config ({@code .ovpn}, {@code .conf}) as openvpn(8) reads it: one
 * directive a line, {@code #} and {@code ;} comments, quoted arguments, an optional leading
 * {@code --}, inline files such as {@code <ca>...</ca>} skipped, {@code <connection>} blocks
 * read as further remotes. {@code proto} and {@code port} apply to every {@code remote} that
 * does not name its own, wherever they stand in the file.
 */
public final class OpenVpnConfigReader {
  private OpenVpnConfigReader() {}

  private static final int DEFAULT_PORT = 1194;

  /** A {@code remote} line before the file's {@code port} and {@code proto} are known. */
  private record RawRemote(String host, Optional<Integer> port, Optional<String> proto, Origin origin) {}

  public static VpnConfig read(String file, String text) throws VpnConfigException {
    List<RawRemote> raw = new ArrayList<>();
    Optional<Part<Integer>> port = Optional.empty();
    Optional<Part<String>> proto = Optional.empty();
    Optional<Origin> remoteRandom = Optional.empty();
    Optional<Part<String>> tunnel = Optional.empty();
    List<Part<String>> dns = new ArrayList<>();
    Optional<Part<Boolean>> fullTunnel = Optional.empty();
    List<String> notes = new ArrayList<>();
    boolean sawDirective = false;
    String inlineTag = null;
    // the remotes of an open <connection> block, and the proto and port it sets for them
    List<RawRemote> block = null;
    Optional<String> blockProto = Optional.empty();
    Optional<Integer> blockPort = Optional.empty();
    int inlineStart = 0;
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      int n = i + 1;
      String line = lines[i].strip();
      if (inlineTag != null) {
        if (line.equalsIgnoreCase("</" + inlineTag + ">")) inlineTag = null;
        continue;
      }
      if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
      if (line.matches("<[A-Za-z0-9_-]+>")) {
        String tag = line.substring(1, line.length() - 1).toLowerCase(Locale.ROOT);
        // a <connection> block holds directives of its own (remote, proto): read them as lines of the file
        if (tag.equals("connection")) {
          block = new ArrayList<>();
          blockProto = Optional.empty();
          blockPort = Optional.empty();
        } else {
          inlineTag = tag;
          inlineStart = n;
        }
        continue;
      }
      if (line.equalsIgnoreCase("</connection>")) {
        if (block != null) {
          for (RawRemote r : block) {
            raw.add(new RawRemote(r.host(), r.port().isPresent() ? r.port() : blockPort, r.proto().isPresent() ? r.proto() : blockProto, r.origin()));
          }
        }
        block = null;
        continue;
      }
      List<String> w = words(file, n, line);
      String d = w.get(0).startsWith("--") ? w.get(0).substring(2) : w.get(0);
      d = d.toLowerCase(Locale.ROOT);
      Origin at = Origin.config(file, n);
      switch (d) {
        case "remote" -> {
          if (w.size() < 2) throw new VpnConfigException(file + ":" + n + ": 'remote' needs a host");
          Optional<Integer> p = w.size() > 2 ? Optional.of(ConfigText.port(file, n, w.get(2))) : Optional.empty();
          Optional<String> pr = w.size() > 3 ? Optional.of(transport(file, n, w.get(3))) : Optional.empty();
          (block != null ? block : raw).add(new RawRemote(w.get(1), p, pr, at));
        }
        case "port", "rport" -> {
          if (w.size() < 2) throw new VpnConfigException(file + ":" + n + ": '" + d + "' needs a port");
          int p = ConfigText.port(file, n, w.get(1));
          if (block != null) blockPort = Optional.of(p);
          else port = Optional.of(new Part<>(p, at));
        }
        case "proto" -> {
          if (w.size() < 2) throw new VpnConfigException(file + ":" + n + ": 'proto' needs udp or tcp");
          String p = transport(file, n, w.get(1));
          if (block != null) blockProto = Optional.of(p);
          else proto = Optional.of(new Part<>(p, at));
        }
        case "remote-random" -> remoteRandom = Optional.of(at);
        case "dev" -> {
          if (w.size() < 2) throw new VpnConfigException(file + ":" + n + ": 'dev' needs a device");
          String dev = w.get(1);
          if (!ConfigText.interfaceName(dev)) {
            throw new VpnConfigException(file + ":" + n + ": '" + dev + "' is not an interface name (1-15 bytes, no '/', ':' or blanks)");
          }
          if (dev.equals("tun") || dev.equals("tap")) {
            notes.add("dev " + dev + " at " + file + ":" + n + ": the kernel names it " + dev + "0 when no other " + dev + " device exists");
            dev = dev + "0";
          }
          tunnel = Optional.of(new Part<>(dev, at));
        }
        case "dhcp-option" -> {
          if (w.size() >= 3 && (w.get(1).equalsIgnoreCase("DNS") || w.get(1).equalsIgnoreCase("DNS6"))) {
            if (ConfigText.address(w.get(2)).isEmpty()) {
              throw new VpnConfigException(file + ":" + n + ": 'dhcp-option " + w.get(1) + "' needs an address, not '" + w.get(2) + "'");
            }
            dns.add(new Part<>(w.get(2), at));
          }
        }
        case "redirect-gateway", "redirect-private" -> fullTunnel = Optional.of(new Part<>(d.equals("redirect-gateway"), at));
        case "server", "server-bridge", "mode" -> {
          if (!d.equals("mode") || (w.size() > 1 && w.get(1).equalsIgnoreCase("server"))) {
            throw new VpnConfigException(file + ":" + n + ": '" + d + "' makes this an OpenVPN server's config; give the client's");
          }
        }
        default -> {
          // every other directive (keys, ciphers, verbosity, scripts) says nothing about where packets go
        }
      }
      sawDirective = true;
    }
    if (block != null) throw new VpnConfigException(file + ": a <connection> block is not closed");
    if (inlineTag != null) throw new VpnConfigException(file + ":" + inlineStart + ": <" + inlineTag + "> is not closed");
    if (!sawDirective) throw new VpnConfigException(file + ": no OpenVPN directive in this file");
    List<Part<Server>> remotes = new ArrayList<>();
    for (RawRemote r : raw) {
      int p = r.port().orElse(port.map(Part::value).orElse(DEFAULT_PORT));
      String pr = r.proto().orElse(proto.map(Part::value).orElse("udp"));
      remotes.add(new Part<>(new Server(stripBrackets(r.host()), p, pr), r.origin()));
    }
    return new VpnConfig(file, VpnKind.OPENVPN, remotes, remoteRandom, tunnel, dns, fullTunnel, Optional.empty(), Optional.empty(), notes);
  }

  /** OpenVPN's protocol names (udp4, tcp-client, tcp6-client, ...) as the transport they run on. */
  private static String transport(String file, int line, String word) throws VpnConfigException {
    String p = word.toLowerCase(Locale.ROOT);
    if (p.matches("udp[46]?")) return "udp";
    if (p.matches("tcp[46]?(-client)?")) return "tcp";
    if (p.matches("tcp[46]?-server")) {
      throw new VpnConfigException(file + ":" + line + ": 'proto " + word + "' makes this an OpenVPN server's config; give the client's");
    }
    throw new VpnConfigException(file + ":" + line + ": unknown protocol '" + word + "' (udp or tcp, as in udp4, tcp-client)");
  }

  private static String stripBrackets(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  /** Splits a line as openvpn does: blanks separate words, double or single quotes keep blanks, backslash escapes in double quotes. */
  static List<String> words(String file, int line, String text) throws VpnConfigException {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inWord = false;
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        if (c == quote) quote = 0;
        else if (c == '\\' && quote == '"' && i + 1 < text.length()) cur.append(text.charAt(++i));
        else cur.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        inWord = true;
      } else if (Character.isWhitespace(c)) {
        if (inWord) out.add(cur.toString());
        cur.setLength(0);
        inWord = false;
      } else if ((c == '#' || c == ';') && !inWord) {
        break;
      } else if (c == '\\' && i + 1 < text.length()) {
        cur.append(text.charAt(++i));
        inWord = true;
      } else {
        cur.append(c);
        inWord = true;
      }
    }
    if (quote != 0) throw new VpnConfigException(file + ":" + line + ": a quote is not closed");
    if (inWord) out.add(cur.toString());
    return out;
  }
}
