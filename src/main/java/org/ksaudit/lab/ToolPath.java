package org.ksaudit.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the lab looks for the host programs it runs: the directories of a PATH, in order. The
 * lab starts its programs by name, so they are found in these directories and no others; a
 * test hands in a PATH without one program to see what a host without its package gets.
 */
public record ToolPath(List<Path> directories) {
  /** PATH when the environment has none, as execvp(3) assumes. */
  static final String DEFAULT = "/usr/local/bin:/usr/bin:/bin";
  /** Where Debian installs programs for root (openvpn, iptables-restore): named when they exist there but PATH lacks them. */
  private static final List<Path> ADMIN_DIRECTORIES = List.of(Path.of("/usr/local/sbin"), Path.of("/usr/sbin"), Path.of("/sbin"));

  public ToolPath {
    directories = List.copyOf(directories);
  }

  /** The directories of a PATH value; empty entries (the current directory to a shell) are not searched. */
  public static ToolPath of(String pathVariable) {
    return new ToolPath(Stream.of(pathVariable.split(":")).filter(d -> !d.isEmpty()).map(Path::of).toList());
  }

  /** This process's PATH: the one every program the lab starts is looked up in. */
  public static ToolPath fromEnvironment() {
    return of(Optional.ofNullable(System.getenv("PATH")).orElse(DEFAULT));
  }

  /** The executable {@code program} resolves to, if any; an absolute name is taken as it is. */
  public Optional<Path> find(String program) {
    if (program.startsWith("/")) return Optional.of(Path.of(program)).filter(Files::isExecutable);
    return directories.stream().map(d -> d.resolve(program)).filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).findFirst();
  }

  /** An executable of that name in a system administration directory this PATH leaves out (a user's PATH without sbin). */
  Optional<Path> outsidePath(String program) {
    return ADMIN_DIRECTORIES.stream().filter(d -> !directories.contains(d)).map(d -> d.resolve(program))
        .filter(f -> Files.isRegularFile(f) && Files.isExecutable(f)).findFirst();
  }
}
