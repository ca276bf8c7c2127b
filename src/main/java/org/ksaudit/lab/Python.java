package org.ksaudit.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The python3 the lab's packet helpers run (raw probes, streams, router advertisements),
 * resolved once per process to the interpreter itself. A version manager's shim first on
 * PATH (pyenv's is a bash script that looks the version up on every start) costs about 0.6 s
 * a start against 0.06 s for the interpreter, and a run starts python3 a dozen times.
 */
final class Python {
  private static String executable;

  private Python() {}

  /** The interpreter's absolute path, or {@code python3} when it does not say (then PATH decides at each start). */
  static synchronized String executable() {
    if (executable == null) {
      Exec.Result r = Exec.run(List.of("python3", "-c", "import sys; sys.stdout.write(sys.executable)"), null, 30_000);
      String path = r.stdout().strip();
      executable = r.ok() && path.startsWith("/") && Files.isExecutable(Path.of(path)) ? path : "python3";
    }
    return executable;
  }
}
