package org.ksaudit.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.ksaudit.input.InputFile;

/**
 * A host's state saved by scripts/collect-host-state into a folder: each command's output in
 * the file {@link Commands} names, the sysctls in {@link Commands#SYSCTL_FILE}, and the host's
 * files under {@link Commands#ROOT_FOLDER}/ at their own paths. A command whose file is
 * missing was not available on the host.
 */
public final class SavedSource implements HostSource {
  private final Path dir;
  private final LiveSource files;

  public SavedSource(Path dir) throws HostReadException {
    if (!Files.isDirectory(dir)) throw new HostReadException("--from " + dir + ": no such folder");
    this.dir = dir;
    this.files = new LiveSource(dir.resolve(Commands.ROOT_FOLDER), dir.resolve("no-proc-sys"));
  }

  @Override
  public String describe() {
    return "the state saved in " + dir;
  }

  @Override
  public Optional<String> output(Commands.Command command) throws HostReadException {
    return read(dir.resolve(command.file()));
  }

  @Override
  public String sysctls() throws HostReadException {
    return read(dir.resolve(Commands.SYSCTL_FILE)).orElse("");
  }

  @Override
  public Optional<String> file(String path) throws HostReadException {
    return files.file(path);
  }

  @Override
  public List<String> list(String folder) throws HostReadException {
    return files.list(folder);
  }

  private static Optional<String> read(Path p) throws HostReadException {
    if (!Files.isRegularFile(p)) return Optional.empty();
    try {
      if (Files.size(p) > InputFile.MAX_BYTES) throw new HostReadException(p + " is larger than " + (InputFile.MAX_BYTES >> 20) + " MiB");
      String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      return text.isBlank() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      throw new HostReadException("cannot read " + p + ": " + e.getMessage());
    }
  }
}
