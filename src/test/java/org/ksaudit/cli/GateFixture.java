package org.ksaudit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A scratch repository for the gate's tests: a folder with {@code .git} (so no config above it
 * is read), rules written into it, and runs of the CLI with an environment whose
 * {@code XDG_CONFIG_HOME} is a folder of its own.
 */
final class GateFixture {
  /**
   * A killswitch that lets nothing out of eth0 when the tunnel is gone but its VPN server: the
   * rules the tests add one at a time are the only ways out.
   */
  static final String KILLSWITCH_HEAD = """
      *filter
      :INPUT DROP [0:0]
      :FORWARD DROP [0:0]
      :OUTPUT DROP [0:0]
      -A INPUT -i lo -j ACCEPT
      -A OUTPUT -o lo -j ACCEPT
      -A OUTPUT -o tun0 -j ACCEPT
      -A OUTPUT -o eth0 -d 198.51.100.1/32 -p udp -m udp --dport 1194 -j ACCEPT
      """;

  /** The options that make {@link #KILLSWITCH_HEAD} alone audit clean. */
  static final List<String> OPTIONS = List.of("--no-ipv6", "--endpoint", "198.51.100.1:1194/udp");

  final Path root;
  final Path xdg;

  GateFixture(Path root) {
    this.root = root;
    this.xdg = root.resolve("xdg");
    try {
      Files.createDirectories(root.resolve("repo/.git"));
      Files.createDirectories(xdg);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the killswitch with these lines before COMMIT to {@code repo/NAME}; returns its path. */
  Path rules(String name, String... lines) {
    return write("repo/" + name, KILLSWITCH_HEAD + String.join("\n", lines) + (lines.length > 0 ? "\n" : "") + "COMMIT\n");
  }

  Path write(String relative, String text) {
    try {
      Path p = root.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code ksaudit check FILE} with {@link #OPTIONS} and these. */
  CliRun check(Path file, String... more) {
    List<String> args = new ArrayList<>(List.of("check", file.toString()));
    args.addAll(OPTIONS);
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  CliRun run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true), new PrintStream(err, true),
        Map.of("XDG_CONFIG_HOME", xdg.toString(), "HOME", root.resolve("home").toString()));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
