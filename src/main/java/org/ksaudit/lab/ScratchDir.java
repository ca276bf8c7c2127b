package org.ksaudit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A private temporary directory of one lab ({@code /tmp/ksaudit-lab-<pid>-…}) for keys,
 * configurations and logs; deleted on close, by a shutdown hook, and by
 * {@code probe --cleanup} once its owner process is gone.
 */
public final class ScratchDir implements AutoCloseable {
  static final String PREFIX = "ksaudit-lab-";
  private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(ScratchDir::delete), "ksaudit-scratch-cleanup"));
  }

  private final Path path;

  private ScratchDir(Path path) {
    this.path = path;
  }

  public static ScratchDir create() throws LabException {
    try {
      Path p = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
      LIVE.add(p);
      return new ScratchDir(p);
    } catch (IOException e) {
      throw new LabException("cannot create a temporary directory: " + e.getMessage());
    }
  }

  public Path path() {
    return path;
  }

  public Path resolve(String name) {
    return path.resolve(name);
  }

  public Path write(String name, String content) throws LabException {
    try {
      Path f = path.resolve(name);
      Files.writeString(f, content, StandardCharsets.UTF_8);
      return f;
    } catch (IOException e) {
      throw new LabException("cannot write " + name + " in " + path + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    delete(path);
  }

  private static void delete(Path p) {
    LIVE.remove(p);
    deleteTree(p);
  }

  static void deleteTree(Path p) {
    if (!Files.exists(p)) return;
    try (var files = Files.walk(p)) {
      for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
    } catch (IOException e) {
      // what is left is found again by probe --cleanup
    }
  }

  /** Deletes scratch directories whose owner process is gone; what could not be removed goes to {@code stuck}. */
  static void deleteLeftovers(List<String> removed, List<String> stuck) {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (var entries = Files.list(tmp)) {
      for (Path p : entries.toList()) {
        String n = p.getFileName().toString();
        if (!n.startsWith(PREFIX) || !Files.isDirectory(p)) continue;
        String[] parts = n.substring(PREFIX.length()).split("-");
        try {
          long pid = Long.parseLong(parts[0]);
          if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
        } catch (NumberFormatException e) {
          continue;
        }
        deleteTree(p);
        (Files.exists(p) ? stuck : removed).add(p.toString());
      }
    } catch (IOException e) {
      stuck.add(tmp + " (" + e.getMessage() + ")");
    }
  }
}
