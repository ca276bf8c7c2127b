package org.ksaudit.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.ksaudit.input.InputFile;
import org.ksaudit.lab.Exec;

/**
 * The running host, read without changing it: the save tools, {@code nft list ruleset} and
 * {@code ip ... show} for the kernel's state (of the network namespace ksaudit runs in), the
 * kernel's /proc/sys/net, and files under {@code root} ("/" for the host itself, or a mounted
 * image: absolute symbolic links inside it are followed inside it).
 */
public final class LiveSource implements HostSource {
  private static final long TIMEOUT_MS = 30_000;
  private static final int MAX_LINKS = 8;
  private final Path root;
  private final Path procSys;

  public LiveSource(Path root) {
    this(root, Path.of("/proc/sys"));
  }

  LiveSource(Path root, Path procSys) {
    this.root = root;
    this.procSys = procSys;
  }

  @Override
  public String describe() {
    return root.toString().equals("/") ? "this host" : "this host with files from " + root;
  }

  @Override
  public Optional<String> output(Commands.Command command) throws HostReadException {
    if (!Exec.onPath(command.program())) return Optional.empty();
    Exec.Result r = Exec.run(command.argv(), null, TIMEOUT_MS);
    if (r.exitCode() != 0) {
      // resolvectl fails when systemd-resolved is not running: then the host has no per-link DNS
      if (command.program().equals("resolvectl")) return Optional.empty();
      throw new HostReadException(String.join(" ", command.argv()) + " failed (exit " + r.exitCode() + "): " + r.firstLine()
          + (r.firstLine().contains("ermission") ? " (--live reads the kernel's rules: run it as root)" : ""));
    }
    return r.stdout().isBlank() ? Optional.empty() : Optional.of(r.stdout());
  }

  @Override
  public String sysctls() throws HostReadException {
    StringBuilder out = new StringBuilder();
    append(out, procSys.resolve("net/ipv4/ip_forward"));
    Path conf6 = procSys.resolve("net/ipv6/conf");
    if (Files.isDirectory(conf6)) {
      try (Stream<Path> s = Files.list(conf6)) {
        for (Path dev : s.sorted().toList()) {
          append(out, dev.resolve("disable_ipv6"));
          append(out, dev.resolve("forwarding"));
        }
      } catch (IOException e) {
        throw new HostReadException("cannot list " + conf6 + ": " + e.getMessage());
      }
    }
    return out.toString();
  }

  private void append(StringBuilder out, Path p) throws HostReadException {
    if (!Files.isRegularFile(p)) return;
    try {
      String key = procSys.relativize(p).toString().replace('/', '.');
      out.append(key).append(" = ").append(Files.readString(p, StandardCharsets.UTF_8).strip()).append('\n');
    } catch (IOException e) {
      throw new HostReadException("cannot read " + p + ": " + e.getMessage());
    }
  }

  @Override
  public Optional<String> file(String path) throws HostReadException {
    Optional<Path> p = resolve(path);
    if (p.isEmpty() || !Files.isRegularFile(p.get())) return Optional.empty();
    try {
      if (Files.size(p.get()) > InputFile.MAX_BYTES)
        throw new HostReadException(path + " is larger than " + (InputFile.MAX_BYTES >> 20) + " MiB");
      return Optional.of(new String(Files.readAllBytes(p.get()), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new HostReadException("cannot read " + path + " under " + root + ": " + e.getMessage());
    }
  }

  @Override
  public List<String> list(String folder) throws HostReadException {
    Optional<Path> p = resolve(folder);
    if (p.isEmpty() || !Files.isDirectory(p.get())) return List.of();
    try (Stream<Path> s = Files.list(p.get())) {
      return s.map(x -> x.getFileName().toString()).sorted().toList();
    } catch (IOException e) {
      throw new HostReadException("cannot list " + folder + " under " + root + ": " + e.getMessage());
    }
  }

  /** The path under the root, with absolute symbolic links taken relative to the root too. */
  private Optional<Path> resolve(String path) throws HostReadException {
    Path p = under(path);
    for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
      try {
        Path target = Files.readSymbolicLink(p);
        p = target.isAbsolute() ? under(target.toString()) : p.resolveSibling(target).normalize();
      } catch (IOException e) {
        throw new HostReadException("cannot follow " + path + " under " + root + ": " + e.getMessage());
      }
    }
    return Files.exists(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
  }

  private Path under(String absolute) {
    List<String> parts = new ArrayList<>();
    for (String s : absolute.split("/")) if (!s.isEmpty() && !s.equals(".")) parts.add(s);
    return parts.isEmpty() ? root : root.resolve(String.join("/", parts)).normalize();
  }
}
