package org.ksaudit.cli;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.ksaudit.input.FamilyDetector;
import org.ksaudit.model.Family;

/**
 * The hosts of {@code ksaudit check DIR|GLOB...}: every ruleset file a directory holds (at any
 * depth; files whose name names no family, such as a README, are left out) or a glob matches
 * (quoted, so the shell leaves it to ksaudit), paired by name: {@code host.v4} with
 * {@code host.v6}, {@code web1.v4.rules} with {@code web1.v6.rules}. A file without a twin is a
 * host of its own. Hosts come sorted by name, so reports list them in the same order on every run.
 */
final class FleetFiles {
  private FleetFiles() {}

  /** One host: its name and its one or two files. */
  record Host(String name, List<String> files) {}

  /**
   * Whether the words name more than one host's rules: a directory, a glob, more than two
   * files, or two whose names say the same family (as pre-commit passes the files it matched).
   */
  static boolean names(List<String> words) {
    if (words.size() == 2 && family(words.get(0)).isPresent() && family(words.get(0)).equals(family(words.get(1)))) return true;
    return words.size() > 2 || words.stream().anyMatch(w -> isGlob(w) || Files.isDirectory(Path.of(w)));
  }

  static boolean isGlob(String w) {
    return w.contains("*") || w.contains("?") || w.contains("[");
  }

  static List<Host> hosts(List<String> words) throws Failure {
    List<String> files = new ArrayList<>();
    for (String w : words) {
      if (w.equals("-")) throw Failure.usage("standard input ('-') cannot be one of several hosts' rules");
      List<String> found = Files.isDirectory(Path.of(w)) ? inDirectory(w) : isGlob(w) ? matching(w) : List.of(w);
      if (found.isEmpty()) throw Failure.usage(w + " names no ruleset file (*.v4, *.v6, rules4, ip6tables...)");
      for (String f : found) if (!files.contains(f)) files.add(f);
    }
    Map<String, List<String>> byHost = new TreeMap<>();
    for (String f : files) byHost.computeIfAbsent(hostOf(f), h -> new ArrayList<>()).add(f);
    List<Host> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : byHost.entrySet()) {
      List<String> v4 = e.getValue().stream().filter(f -> family(f).orElse(Family.IPV4) == Family.IPV4).sorted().toList();
      List<String> v6 = e.getValue().stream().filter(f -> family(f).orElse(Family.IPV4) == Family.IPV6).sorted().toList();
      // a twin of each family per host; more of one family than the other are hosts of their own
      for (int i = 0; i < Math.max(v4.size(), v6.size()); i++) {
        List<String> pair = new ArrayList<>();
        if (i < v4.size()) pair.add(v4.get(i));
        if (i < v6.size()) pair.add(v6.get(i));
        out.add(new Host(e.getKey(), pair));
      }
    }
    return out;
  }

  private static Optional<Family> family(String file) {
    return FamilyDetector.fromName(file);
  }

  /** The name a file shares with its twin: the path without its family's ".v4" / ".v6". */
  static String hostOf(String file) {
    return file.replaceFirst("\\.v[46](?=(\\.[^/]*)?$)", "");
  }

  private static List<String> inDirectory(String dir) throws Failure {
    try (Stream<Path> s = Files.walk(Path.of(dir))) {
      return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
          .map(Path::toString).filter(f -> family(f).isPresent()).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw Failure.usage("cannot read the directory " + dir + ": " + e.getMessage());
    }
  }

  /** The regular files a glob matches, the part before its first wildcard taken as the directory to search. */
  private static List<String> matching(String glob) throws Failure {
    int wild = glob.length();
    for (String c : List.of("*", "?", "[")) if (glob.contains(c)) wild = Math.min(wild, glob.indexOf(c));
    int slash = glob.lastIndexOf('/', wild);
    String base = slash < 0 ? "." : slash == 0 ? "/" : glob.substring(0, slash);
    PathMatcher m;
    try {
      m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (IllegalArgumentException e) {
      throw Failure.usage("bad pattern " + glob + ": " + e.getMessage());
    }
    if (!Files.isDirectory(Path.of(base))) return List.of();
    try (Stream<Path> s = Files.walk(Path.of(base))) {
      return s.filter(Files::isRegularFile).map(p -> slashFree(base, p)).filter(p -> m.matches(Path.of(p))).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw Failure.usage("cannot read the directory " + base + ": " + e.getMessage());
    }
  }

  /** A walked path as the user would write it: without the "./" a search of "." puts before it. */
  private static String slashFree(String base, Path p) {
    String s = p.toString();
    return base.equals(".") && s.startsWith("./") ? s.substring(2) : s;
  }
}
