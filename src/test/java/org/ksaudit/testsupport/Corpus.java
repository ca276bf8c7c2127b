package org.ksaudit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The external corpus: real-world iptables-save dumps ({@code realworld/}) and real VPN clients'
 * killswitches ({@code killswitches/}), under their own licences (many non-commercial), so never
 * copied into the project. The tests run on the repository's testdata and generated cases; a
 * corpus widens them only when it is named, by {@code -Dksaudit.corpus=DIR} or
 * {@code KSAUDIT_CORPUS=DIR} (relative paths are taken from the project directory). A named
 * corpus that is not there fails the test under CI=true and is ignored, with a note in the log,
 * elsewhere.
 */
public final class Corpus {
  public static final String PROPERTY = "ksaudit.corpus";
  public static final String VARIABLE = "KSAUDIT_CORPUS";

  private Corpus() {}

  /** Where the corpus was named, for the log: the property wins over the variable. */
  private static Optional<String> naming() {
    String p = System.getProperty(PROPERTY, "");
    if (!p.isBlank()) return Optional.of("-D" + PROPERTY + "=" + p);
    String v = System.getenv(VARIABLE);
    if (v != null && !v.isBlank()) return Optional.of(VARIABLE + "=" + v);
    return Optional.empty();
  }

  private static Optional<Path> named() {
    return naming().map(n -> Path.of(System.getProperty("user.dir")).resolve(n.substring(n.indexOf('=') + 1)).normalize());
  }

  /**
   * The directory {@code sub} of the named corpus, or empty when no corpus is named. A named
   * corpus without that directory is an error under CI=true and a logged omission elsewhere.
   */
  public static Optional<Path> part(String sub) {
    Optional<Path> root = named();
    if (root.isEmpty()) return Optional.empty();
    Path p = root.get().resolve(sub);
    if (Files.isDirectory(p)) return Optional.of(p);
    String why = Files.isDirectory(root.get())
        ? "the corpus named by " + naming().orElseThrow() + " has no directory " + p
        : "the corpus named by " + naming().orElseThrow() + " is not a directory: " + root.get();
    if (Host.inCi()) fail("CI=true but " + why);
    System.out.println("corpus: " + why + "; this test runs without it");
    return Optional.empty();
  }

  /** One log line: which corpus a test read and {@code breadth}, what it took from it. */
  public static String describe(String breadth) {
    Optional<String> n = naming();
    if (n.isEmpty()) return "corpus: none named, repository data only (-D" + PROPERTY + "=DIR or " + VARIABLE + "=DIR adds one)";
    return "corpus: " + named().orElseThrow() + " (" + n.get() + "): " + breadth;
  }
}
