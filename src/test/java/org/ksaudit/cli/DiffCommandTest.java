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
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ksaudit.lab.Exec;
import org.ksaudit.testsupport.ReportSchema;

/**
 * {@code ksaudit diff} on the command line: exit 1 exactly when NEW lets out more, two pairs
 * around '--', standard input, git revisions, and the pull-request gate of the README run
 * in a scratch git repository.
 */
class DiffCommandTest {
  private static final String DIR = "testdata/diff/";

  @Test
  void exitsOneOnlyWhenNewLetsOutMore() {
    assertEquals(1, CliRun.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4").code());
    assertEquals(0, CliRun.of("diff", DIR + "broad-endpoint.v4", DIR + "tightened-endpoint.v4").code());
    CliRun same = CliRun.of("diff", DIR + "base.v4", DIR + "reordered.v4");
    assertEquals(0, same.code(), same.both());
    assertTrue(same.out().contains("no difference"), same.out());
  }

  @Test
  void textPointsAtTheNewRuleWithTheWitnessAndBothTraces() {
    CliRun r = CliRun.of("diff", DIR + "base.v4", DIR + "lan-exemption.v4");
    assertTrue(r.out().contains("testdata/diff/lan-exemption.v4:15:"), r.out());
    assertTrue(r.out().contains("newly let out: ipv4, tunnel gone"), r.out());
    assertTrue(r.out().contains("NEW: testdata/diff/lan-exemption.v4:15 filter/OUTPUT ACCEPT"), r.out());
    assertTrue(r.out().contains("OLD: testdata/diff/base.v4:7 filter/OUTPUT policy DROP"), r.out());
  }

  @Test
  void twoPairsAroundTheDoubleDash() {
    CliRun r = CliRun.of("diff", DIR + "base.v4", DIR + "base.v6", "--", DIR + "reordered.v4", DIR + "v6-opened.v6");
    assertEquals(1, r.code(), r.both());
    assertTrue(r.out().contains("\ntestdata/diff/v6-opened.v6:11:") && !r.out().contains("\ntestdata/diff/reordered.v4:"), r.out());
    CliRun json = CliRun.of("diff", "--format", "json", DIR + "base.v4", DIR + "base.v6", "--", DIR + "reordered.v4",
        DIR + "v6-opened.v6");
    ReportSchema.parse(json.out());
    assertTrue(json.out().contains("\"change\":\"let-out\",\"family\":\"ipv6\",\"scenario\":\"tunnel-gone\""), json.out());
    assertTrue(json.out().contains("\"old\":[\"testdata/diff/base.v4\",\"testdata/diff/base.v6\"]"), json.out());
  }

  @Test
  void usageErrorsAreOneLineAndExitTwo() throws IOException {
    for (String[] args : List.of(new String[] {"diff", DIR + "base.v4", DIR + "base.v6", DIR + "lan-exemption.v4"},
        new String[] {"diff", DIR + "base.v4", "--", DIR + "base.v4", DIR + "base.v6", DIR + "lan-exemption.v4"},
        new String[] {"diff", "-", "-"}, new String[] {"diff", "git:-x:rules.v4", DIR + "base.v4"},
        new String[] {"diff", "git:HEAD", DIR + "base.v4"})) {
      CliRun r = CliRun.of(args);
      assertEquals(2, r.code(), String.join(" ", args) + ": " + r.both());
      assertTrue(r.err().startsWith("ksaudit") && !r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void readsOldFromStandardInput() throws IOException {
    byte[] base = Files.readAllBytes(Path.of(DIR + "base.v4"));
    CliRun r = CliRun.withStdin(base, "diff", "-", DIR + "broad-endpoint.v4");
    assertEquals(1, r.code(), r.both());
    assertTrue(r.out().contains("OLD: <stdin>; NEW: testdata/diff/broad-endpoint.v4"), r.out());
  }

  /**
   * The README's pull-request gate, {@code ksaudit diff git:origin/main:rules.v4 rules.v4}, in
   * a scratch repository whose origin/main holds base.v4: a working copy with a LAN exemption
   * fails the gate, one that is only reordered passes, an unknown revision is exit 2.
   */
  @Test
  void thePullRequestGateOfTheReadme(@TempDir Path repo) throws Exception {
    Assumptions.assumeTrue(Exec.onPath("git"), "needs git");
    Files.copy(Path.of(DIR + "base.v4"), repo.resolve("rules.v4"));
    git(repo, "init", "-q");
    git(repo, "add", "rules.v4");
    git(repo, "-c", "user.name=ksaudit", "-c", "user.email=ksaudit@example.org", "commit", "-q", "-m", "killswitch");
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD");
    Files.copy(Path.of(DIR + "lan-exemption.v4"), repo.resolve("rules.v4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Ran widened = ksaudit(repo, "diff", "git:origin/main:rules.v4", "rules.v4");
    assertEquals(1, widened.code(), widened.out());
    assertTrue(widened.out().contains("rules.v4:15:") && widened.out().contains("OLD: git:origin/main:rules.v4:7"), widened.out());
    Files.copy(Path.of(DIR + "reordered.v4"), repo.resolve("rules.v4"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Ran reordered = ksaudit(repo, "diff", "git:origin/main:rules.v4", "rules.v4");
    assertEquals(0, reordered.code(), reordered.out());
    Ran unknown = ksaudit(repo, "diff", "git:origin/nope:rules.v4", "rules.v4");
    assertEquals(2, unknown.code(), unknown.out());
    assertTrue(unknown.out().contains("cannot read git:origin/nope:rules.v4: git show says: fatal:"), unknown.out());
  }

  private record Ran(int code, String out) {}

  /** ksaudit as its own process in a directory (git reads the repository there), standard output and error together. */
  private static Ran ksaudit(Path dir, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-cp", classPath(), Main.class.getName()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "ksaudit did not end");
    return new Ran(p.exitValue(), out);
  }

  /** The test's class path with absolute entries: the process runs in another directory. */
  private static String classPath() {
    List<String> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) out.add(Path.of(e).toAbsolutePath().toString());
    return String.join(File.pathSeparator, out);
  }

  private static void git(Path repo, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", repo.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
  }
}
