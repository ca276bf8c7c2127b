package org.ksaudit.input;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A file as a git revision holds it, named {@code git:REV:PATH} on the command line and read
 * with {@code git show REV:PATH} in the current directory (PATH is from the repository's top,
 * or {@code ./PATH} from the current directory, as git reads it). The revision cannot start
 * with '-' and git is told where its options end, so no argument becomes an option of git.
 */
public final class GitRevisionFile {
  public static final String PREFIX = "git:";
  /** How long git may take; a repository on a dead network share must not hang a CI job. */
  static final long TIMEOUT_SECONDS = 60;

  private GitRevisionFile() {}

  public static boolean names(String arg) {
    return arg.startsWith(PREFIX);
  }

  /** Reads {@code git:REV:PATH}; the name of the result is the argument as given. */
  public static InputFile read(String arg) throws InputFile.InputException {
    String spec = arg.substring(PREFIX.length());
    int colon = spec.indexOf(':');
    if (colon <= 0 || colon == spec.length() - 1)
      throw new InputFile.InputException("cannot read " + arg + ": write git:REV:PATH, e.g. git:origin/main:rules.v4");
    if (spec.startsWith("-")) throw new InputFile.InputException("cannot read " + arg + ": a revision cannot start with '-'");
    Path errors = null;
    Process p = null;
    try {
      errors = Files.createTempFile("ksaudit-git", ".err");
      p = new ProcessBuilder("git", "show", "--no-textconv", "--end-of-options", spec)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(errors.toFile())
          .start();
      InputFile read;
      try (InputStream out = p.getInputStream()) {
        read = InputFile.read(arg, out, arg + " (git show " + spec + ")");
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
        throw new InputFile.InputException("cannot read " + arg + ": git show did not finish in " + TIMEOUT_SECONDS + " s");
      if (p.exitValue() != 0) throw new InputFile.InputException("cannot read " + arg + ": " + firstLine(errors));
      return read;
    } catch (IOException e) {
      throw new InputFile.InputException("cannot read " + arg + ": cannot run git (" + e.getMessage() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InputFile.InputException("cannot read " + arg + ": interrupted while git show ran");
    } finally {
      if (p != null) p.destroyForcibly();
      if (errors != null) errors.toFile().delete();
    }
  }

  /** git's first line of complaint ("fatal: invalid object name 'x'."), or its exit status. */
  private static String firstLine(Path errors) throws IOException {
    byte[] b = Files.readAllBytes(errors);
    String s = new String(b, 0, Math.min(b.length, 4096), StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    return line.isEmpty() ? "git show failed" : "git show says: " + line;
  }
}
