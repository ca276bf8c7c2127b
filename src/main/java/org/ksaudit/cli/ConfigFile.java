package org.ksaudit.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.ksaudit.check.Endpoint;
import org.ksaudit.input.InputFile;
import org.ksaudit.model.value.Cidr;
import org.ksaudit.report.Format;
import picocli.CommandLine.TypeConversionException;

/**
 * A {@code .ksauditrc}: {@code key = value} lines, {@code #} comments and blank lines. The keys
 * are the options of {@code check} a project wants to state once: {@code ignore} (finding IDs),
 * {@code fail-on}, {@code format}, and the repeatable {@code tunnel}, {@code endpoint},
 * {@code allow-lan} and {@code sysctl} (several values on one line are separated by commas; a
 * {@code sysctl} path is read from the config file's folder). Each value is checked as the
 * option's value is; an unknown key, a bad value and a single-valued key given twice are errors
 * at {@code FILE:LINE}.
 */
record ConfigFile(Path path, List<Ignore> ignore, Optional<FailOn> failOn, Optional<Format> format, List<String> tunnels,
    List<Endpoint> endpoints, List<Cidr> allowLan, List<String> sysctl) {
  static final String NAME = ".ksauditrc";
  static final List<String> KEYS = List.of("ignore", "fail-on", "tunnel", "endpoint", "allow-lan", "format", "sysctl");

  /** A finding ID the config ignores everywhere, and the line that says so. */
  record Ignore(String id, int line) {}

  ConfigFile {
    ignore = List.copyOf(ignore);
    tunnels = List.copyOf(tunnels);
    endpoints = List.copyOf(endpoints);
    allowLan = List.copyOf(allowLan);
    sysctl = List.copyOf(sysctl);
  }

  /**
   * The config that applies to an input in {@code folder}: the nearest {@code .ksauditrc} from
   * that folder upward, stopping at the repository root (the folder holding {@code .git}), else
   * {@code $XDG_CONFIG_HOME/ksaudit/ksauditrc} ({@code ~/.config} when it is not set).
   */
  static Optional<Path> find(Path folder, Map<String, String> env) {
    for (Path d = folder.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      Path c = d.resolve(NAME);
      if (Files.isRegularFile(c)) return Optional.of(c);
      if (Files.exists(d.resolve(".git"))) break;
    }
    String xdg = env.getOrDefault("XDG_CONFIG_HOME", "");
    // the XDG base directory specification ignores a relative path
    Path base = !xdg.isEmpty() && Path.of(xdg).isAbsolute() ? Path.of(xdg)
        : env.containsKey("HOME") ? Path.of(env.get("HOME"), ".config") : null;
    if (base == null) return Optional.empty();
    Path user = base.resolve("ksaudit").resolve("ksauditrc");
    return Files.isRegularFile(user) ? Optional.of(user) : Optional.empty();
  }

  static ConfigFile read(Path path, InputStream stdin) throws Failure {
    try {
      return parse(path, InputFile.read(path.toString(), stdin).text());
    } catch (InputFile.InputException e) {
      throw Failure.input("config file: " + e.getMessage());
    }
  }

  static ConfigFile parse(Path path, String text) throws Failure {
    Set<String> ids = CheckInfos.ids();
    Path folder = path.toAbsolutePath().getParent();
    List<Ignore> ignore = new ArrayList<>();
    List<String> tunnels = new ArrayList<>();
    List<Endpoint> endpoints = new ArrayList<>();
    List<Cidr> allowLan = new ArrayList<>();
    List<String> sysctl = new ArrayList<>();
    Optional<FailOn> failOn = Optional.empty();
    Optional<Format> format = Optional.empty();
    Map<String, Integer> seen = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int n = 1; n <= lines.length; n++) {
      String line = lines[n - 1].strip();
      if (line.isEmpty() || line.startsWith("#")) continue;
      int eq = line.indexOf('=');
      if (eq < 0) throw error(path, n, "expected 'key = value', found '" + line + "'");
      String key = line.substring(0, eq).strip().toLowerCase(Locale.ROOT);
      String value = line.substring(eq + 1).strip();
      if (!KEYS.contains(key)) throw error(path, n, "unknown key '" + key + "' (keys: " + String.join(", ", KEYS) + ")");
      if (value.isEmpty()) throw error(path, n, key + " has no value");
      Integer first = seen.putIfAbsent(key, n);
      if (first != null && (key.equals("fail-on") || key.equals("format")))
        throw error(path, n, key + " is given twice (first at line " + first + ")");
      switch (key) {
        case "fail-on" -> failOn = Optional.of(value(path, n, value, FailOn::parse));
        case "format" -> format = Optional.of(value(path, n, value, Format::parse));
        default -> {
          for (String v : value.split(",", -1)) {
            String item = v.strip();
            if (item.isEmpty()) throw error(path, n, key + " has an empty value between commas");
            switch (key) {
              case "ignore" -> {
                String id = item.toUpperCase(Locale.ROOT);
                if (!ids.contains(id)) throw error(path, n, "no finding has the ID '" + item + "' ('ksaudit rules' lists them)");
                ignore.add(new Ignore(id, n));
              }
              case "tunnel" -> tunnels.add(value(path, n, item, new Converters.Tunnel()::convert));
              case "endpoint" -> endpoints.add(value(path, n, item, new Converters.VpnEndpoint()::convert));
              case "allow-lan" -> allowLan.add(value(path, n, item, new Converters.LanRange()::convert));
              case "sysctl" -> {
                Path file = folder.resolve(item).normalize();
                if (!Files.isRegularFile(file)) throw error(path, n, "sysctl file " + file + " does not exist");
                sysctl.add(file.toString());
              }
              default -> throw new IllegalStateException("key " + key);
            }
          }
        }
      }
    }
    return new ConfigFile(path, ignore, failOn, format, tunnels, endpoints, allowLan, sysctl);
  }

  /** A value read as the option reads it; its refusal is an error at this line. */
  private static <T> T value(Path path, int line, String text, Function<String, T> reader) throws Failure {
    try {
      return reader.apply(text);
    } catch (IllegalArgumentException | TypeConversionException e) {
      throw error(path, line, e.getMessage());
    }
  }

  private static Failure error(Path path, int line, String message) {
    return Failure.input(path + ":" + line + ": " + message);
  }
}
