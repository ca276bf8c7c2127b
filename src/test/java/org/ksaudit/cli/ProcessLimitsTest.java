package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The cases only a real process shows: standard output on a full disk, standard input closed,
 * endless devices as input. ksaudit runs in a fresh JVM with a small heap, so a read that is not
 * bounded would fail with out of memory instead of the one line and exit 2.
 */
class ProcessLimitsTest {
  private static final String RULES = "testdata/seed/article.v4";

  private record Ran(int code, String out, String err, long millis) {}

  private static List<String> java(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Ran run(List<String> cmd, File stdout) throws IOException, InterruptedException {
    Path err = Files.createTempFile("ksaudit-err", ".txt");
    Path out = stdout == null ? Files.createTempFile("ksaudit-out", ".txt") : null;
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectError(err.toFile()).redirectOutput(stdout == null ? out.toFile() : stdout);
      long start = System.nanoTime();
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("no answer within 60 s: " + cmd);
      }
      return new Ran(p.exitValue(), out == null ? "" : Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8), (System.nanoTime() - start) / 1_000_000);
    } finally {
      Files.deleteIfExists(err);
      if (out != null) Files.deleteIfExists(out);
    }
  }

  /** The command with standard input closed, as {@code cmd <&-} in a shell does. */
  private static List<String> stdinClosed(List<String> cmd) {
    List<String> sh = new ArrayList<>(List.of("bash", "-c", "exec \"$@\" <&-", "ksaudit"));
    sh.addAll(cmd);
    return sh;
  }

  @Test
  void aFullDiskIsExit3WithAMessage() throws Exception {
    Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full");
    Ran r = run(java("check", RULES), new File("/dev/full"));
    assertEquals(3, r.code(), r.err());
    assertTrue(r.err().startsWith("ksaudit: cannot write to standard output"), r.err());
  }

  @Test
  void endlessDevicesStopAtTheirFirstBlock() throws Exception {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/dev/zero")), "no /dev/zero");
    for (List<String> cmd : List.of(java("check", "--ipv4", "/dev/zero"), java("check", "--sysctl", "/dev/zero", RULES),
        java("trace", RULES, "--probes", "/dev/zero"))) {
      Ran r = run(cmd, null);
      assertEquals(2, r.code(), r.err());
      assertEquals("ksaudit: /dev/zero is binary, not an iptables-save dump: 8192 of the 8192 bytes from offset 0 are control"
          + " bytes (NUL, ESC, ...) or invalid text\n", r.err());
      assertEquals("", r.out());
      // a JVM start and one 8 KiB block; the unbounded read took 10-17 s and 5.5 GB
      assertTrue(r.millis() < 15_000, r.millis() + " ms");
    }
  }

  @Test
  void aClosedStandardInputIsOneError() throws Exception {
    Ran r = run(stdinClosed(java("check", "-")), null);
    assertEquals(2, r.code(), r.err());
    assertEquals("ksaudit: cannot read standard input: it is closed (give the rules on standard input, or a file name)\n", r.err());
    assertEquals("", r.out());
  }

  @Test
  void theLauncherSaysSoToo() throws Exception {
    Path jar = Path.of("target/ksaudit.jar");
    Assumptions.assumeTrue(Files.isRegularFile(jar) && upToDate(jar),
        "target/ksaudit.jar is missing or older than the sources: the launcher would build it (mvn package first)");
    Ran r = run(stdinClosed(List.of("./ksaudit", "check", "-")), null);
    assertEquals(2, r.code(), r.err());
    assertEquals("ksaudit: cannot read standard input: it is closed (give the rules on standard input, or a file name)\n", r.err());
  }

  private static boolean upToDate(Path jar) throws IOException {
    long built = Files.getLastModifiedTime(jar).toMillis();
    for (String root : List.of("src/main", "grammar", "pom.xml")) {
      try (Stream<Path> s = Files.walk(Path.of(root))) {
        if (s.anyMatch(p -> p.toFile().lastModified() > built)) return false;
      }
    }
    return true;
  }
}
