package org.ksaudit.history;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The out folder of {@code ksaudit report}, held by one run at a time (a lock file in it): its
 * run folders, the {@code latest} link, new runs and pruning. Anything in it that is not a run
 * folder of ours is reported and left alone; nothing is deleted but run folders and the hidden
 * leftovers of runs that were killed while writing one.
 */
public final class OutFolder implements AutoCloseable {
  private static final String LOCK = ".ksaudit-report.lock";
  /** A run folder being written, renamed to its run's name once whole. */
  private static final String PARTIAL = ".ksaudit-partial-";
  /** The new {@code latest} link, renamed over the old one. */
  private static final String NEW_LINK = ".ksaudit-latest-";

  private final Path dir;
  private final FileChannel channel;
  private final FileLock lock;

  private OutFolder(Path dir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.channel = channel;
    this.lock = lock;
  }

  /** The runs found, oldest first, and what was found beside them and left alone, one line each. */
  public record Listing(List<RunFolder> runs, List<String> skipped) {
    public Listing {
      runs = List.copyOf(runs);
      skipped = List.copyOf(skipped);
    }
  }

  /** The folder, made when missing, locked against another report writing to it at the same time. */
  public static OutFolder open(Path dir) throws HistoryException {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new HistoryException("cannot make the out folder " + dir + ": " + reason(e));
    }
    if (!Files.isDirectory(dir)) throw new HistoryException(dir + " is not a folder");
    FileChannel channel;
    try {
      channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new HistoryException("cannot write in the out folder " + dir + ": " + reason(e));
    }
    try {
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new HistoryException("another ksaudit report is writing to " + dir + " (it holds " + dir.resolve(LOCK) + ")");
      }
      OutFolder out = new OutFolder(dir, channel, lock);
      out.removeLeftovers();
      return out;
    } catch (IOException | OverlappingFileLockException e) {
      closeQuietly(channel);
      throw new HistoryException("cannot lock the out folder " + dir + ": " + reason(e));
    }
  }

  public Path path() {
    return dir;
  }

  /** The run folders, oldest first; other entries are named in {@code skipped}. */
  public Listing list() throws HistoryException {
    List<RunFolder> runs = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (name.equals(LOCK) || name.equals(RunFiles.LATEST) && Files.isSymbolicLink(p)) continue;
        Optional<Instant> at = RunName.parse(name);
        if (at.isPresent() && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) runs.add(new RunFolder(p, at.get()));
        else skipped.add(p + ": not a run folder of ksaudit report; left alone");
      }
    } catch (IOException e) {
      throw new HistoryException("cannot read the out folder " + dir + ": " + reason(e));
    }
    runs.sort(Comparator.comparing(RunFolder::at));
    skipped.sort(Comparator.naturalOrder());
    return new Listing(runs, skipped);
  }

  /**
   * The time of a run started at {@code now}: {@code now}, or a millisecond after the newest run
   * when the clock says otherwise (two runs in one millisecond, a clock set back), so that runs
   * sort as they were made. The lock keeps it free until {@link #publish}.
   */
  public Instant next(Instant now) throws HistoryException {
    Instant when = now;
    for (RunFolder r : list().runs()) if (!when.isAfter(r.at())) when = r.at().plusMillis(1);
    return when;
  }

  /** A new run folder at {@code at} holding {@code files} (name to UTF-8 text), written under a hidden name and renamed whole. */
  public RunFolder publish(Instant at, Map<String, String> files) throws HistoryException {
    Path partial = dir.resolve(PARTIAL + ProcessHandle.current().pid());
    Path target = dir.resolve(RunName.of(at));
    try {
      deleteTree(partial);
      Files.createDirectory(partial);
      for (Map.Entry<String, String> f : files.entrySet())
        Files.writeString(partial.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) throw new FileAlreadyExistsException(target.toString());
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      return new RunFolder(target, at);
    } catch (IOException e) {
      try {
        deleteTree(partial);
      } catch (IOException ignored) {
        // the next run removes it: it holds the lock then
      }
      throw new HistoryException("cannot write the run folder " + target + ": " + reason(e));
    }
  }

  /**
   * Points {@code latest} at the run, replacing the link at once (a reader sees the old run or the
   * new one, never none). An entry named {@code latest} that is not a link is left alone: the
   * returned warning says so.
   */
  public Optional<String> pointLatest(RunFolder run) throws HistoryException {
    Path latest = dir.resolve(RunFiles.LATEST);
    if (Files.exists(latest, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(latest))
      return Optional.of(latest + " is not a link; left alone, so it does not point at the newest run");
    Path link = dir.resolve(NEW_LINK + ProcessHandle.current().pid());
    try {
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, run.path().getFileName());
      Files.move(link, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return Optional.empty();
    } catch (IOException | UnsupportedOperationException e) {
      throw new HistoryException("cannot point " + latest + " at " + run.path().getFileName() + ": " + reason(e));
    }
  }

  /** Deletes the oldest of {@code runs} (oldest first) until {@code keep} are left; returns those deleted. */
  public List<RunFolder> prune(List<RunFolder> runs, int keep) throws HistoryException {
    if (keep < 1) throw new IllegalArgumentException("keep at least the run just made");
    List<RunFolder> gone = new ArrayList<>(runs.subList(0, Math.max(0, runs.size() - keep)));
    for (RunFolder r : gone) {
      try {
        deleteTree(r.path());
      } catch (IOException e) {
        throw new HistoryException("cannot remove the old run " + r.path() + ": " + reason(e));
      }
    }
    return gone;
  }

  /** Run folders a killed run left half written, and its new link: the lock says no run is writing them. */
  private void removeLeftovers() throws IOException {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, e -> {
      String n = e.getFileName().toString();
      return n.startsWith(PARTIAL) || n.startsWith(NEW_LINK);
    })) {
      for (Path p : entries) deleteTree(p);
    }
  }

  /** A folder and everything in it, links removed as links: nothing outside it is followed. */
  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
      try (Stream<Path> walk = Files.walk(p)) {
        for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
      }
    } else {
      Files.delete(p);
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static void closeQuietly(FileChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing a lock file that could not be locked: nothing to keep
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException ignored) {
      // closing the channel releases it as well
    }
    closeQuietly(channel);
  }
}
