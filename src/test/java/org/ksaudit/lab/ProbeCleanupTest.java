package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ksaudit.cli.Main;
import org.ksaudit.testsupport.Host;

/** Every exit path cleans up: Ctrl-C in the middle of a run, and probe --cleanup after a killed run. */
class ProbeCleanupTest {
  @BeforeAll
  static void requireLab() {
    Host.requireRootWith("ip", "iptables-restore", "ip6tables-restore", "python3", "openvpn", "openssl");
  }

  @Test
  void sigintInTheMiddleLeavesNothing() throws Exception {
    ProbeLabTest.Snapshot before = ProbeLabTest.snapshot();
    // a shell's background job starts with SIGINT ignored, and a JVM keeps it ignored: env
    // (coreutils) gives the run the default disposition, as a terminal's foreground job has
    List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "probe", "--lab", "testdata/seed/article.v4"));
    Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
      // wait until the lab is complete and the tunnel is being torn down: VPN server, services, namespaces all exist
      for (String line; (line = err.readLine()) != null; ) {
        seen.add(line);
        if (line.matches(".*\\[2/\\d+\\] .*")) break;
      }
      assertTrue(p.isAlive(), "the run ended before it could be interrupted:\n" + String.join("\n", seen));
      String prefix = Netns.PREFIX + p.pid() + "-";
      assertTrue(Exec.run("ip", "netns", "list").stdout().contains(prefix), "the run's namespaces should exist mid-run");
      assertEquals(0, Exec.run("kill", "-INT", Long.toString(p.pid())).exitCode());
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the interrupted run did not end");
      assertEquals(130, p.exitValue(), "the run was not ended by SIGINT");
    } finally {
      p.destroyForcibly();
    }
    String prefix = Netns.PREFIX + p.pid() + "-";
    assertFalse(Exec.run("ip", "netns", "list").stdout().contains(prefix), "namespaces left by the interrupted run");
    assertFalse(Files.exists(Path.of("/etc/netns")) && Files.list(Path.of("/etc/netns")).anyMatch(d -> d.getFileName().toString().startsWith(prefix)));
    assertEquals(before, ProbeLabTest.snapshot(), "namespaces, lab processes or scratch directories differ after Ctrl-C");
  }

  @Test
  void cleanupRemovesWhatAKilledRunLeft() throws Exception {
    // a run killed with SIGKILL leaves its namespace, a process inside, its resolv.conf and its scratch directory
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long dead = gone.pid();
    String ns = Netns.PREFIX + dead + "-1-client";
    assertTrue(Exec.run("ip", "netns", "add", ns).ok());
    Process inside = new ProcessBuilder("ip", "netns", "exec", ns, "sleep", "300").start();
    Path etc = Path.of("/etc/netns", ns);
    Files.createDirectories(etc);
    Files.writeString(etc.resolve("resolv.conf"), "nameserver 192.0.2.1\n");
    Path scratch = Files.createDirectory(Path.of(System.getProperty("java.io.tmpdir"), ScratchDir.PREFIX + dead + "-test"));
    Files.writeString(scratch.resolve("client.log"), "left behind\n");
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int code = Main.run(new String[] {"probe", "--cleanup"}, new ByteArrayInputStream(new byte[0]),
          new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
      assertEquals(0, code);
      String report = out.toString(StandardCharsets.UTF_8);
      assertTrue(report.contains(ns), report);
      assertFalse(Exec.run("ip", "netns", "list").stdout().contains(ns));
      assertTrue(inside.waitFor(5, TimeUnit.SECONDS), "the process inside the leftover namespace still runs");
      assertFalse(Files.exists(etc));
      assertFalse(Files.exists(scratch));
    } finally {
      inside.destroyForcibly();
      Exec.run("ip", "netns", "delete", ns);
      ScratchDir.deleteTree(scratch);
      ScratchDir.deleteTree(etc);
    }
  }

  @Test
  void cleanupLeavesLabsOfLiveRunsAlone() throws IOException, LabException {
    try (Netns mine = Netns.create("keep")) {
      LabCleanup.run();
      assertTrue(Exec.run("ip", "netns", "list").stdout().contains(mine.name()));
    }
  }
}
