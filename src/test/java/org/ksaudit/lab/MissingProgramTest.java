package org.ksaudit.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A host without one of the lab's programs: {@code probe --lab} stops before it builds
 * anything, with exit 4 and the Debian package to install. The packages are those that ship
 * each program on Debian 12 ({@code dpkg -S}); the host is simulated by a PATH without the
 * program, so nothing is uninstalled.
 */
class MissingProgramTest {
  /** A directory of empty executables named like the programs, without {@code missing}. */
  private static ToolPath fakePathWithout(Path dir, TunnelKind kind, String missing) throws IOException {
    for (String p : Lab.requiredTools(kind)) {
      if (p.equals(missing)) continue;
      Path f = Files.writeString(dir.resolve(p), "#!/bin/sh\nexit 0\n");
      assertTrue(f.toFile().setExecutable(true));
    }
    return new ToolPath(List.of(dir));
  }

  @ParameterizedTest
  @CsvSource({
    "OPENVPN, openvpn, openvpn",
    "OPENVPN, openssl, openssl",
    "WIREGUARD, wireguard-go, wireguard-go",
    "WIREGUARD, wg, wireguard-tools",
    "OPENVPN, ip, iproute2",
    "WIREGUARD, iptables-restore, iptables",
    "OPENVPN, ip6tables-save, iptables",
    "OPENVPN, python3, python3",
    "OPENVPN, dhclient, isc-dhcp-client",
    "WIREGUARD, dnsmasq, dnsmasq-base",
  })
  void theMissingProgramIsNamedWithItsPackage(TunnelKind kind, String program, String pkg, @TempDir Path dir) throws IOException {
    ToolPath path = fakePathWithout(dir, kind, program);
    LabException e = assertThrows(LabException.class, () -> LabTools.require(Lab.requiredTools(kind), path));
    assertTrue(e.getMessage().contains("missing " + program + " (package " + pkg + ")"), e.getMessage());
    assertTrue(e.getMessage().matches("(?s).*apt-get install -y ([a-z0-9-]+ )*" + pkg + "\\b.*"), e.getMessage());
  }

  /**
   * setpriv runs the VPN client as the uid the rules single out (owner-uid: 1194), and the stub
   * resolver of a systemd-resolved host as the resolver's (resolved-stub: 991, which also needs
   * dnsmasq without TunnelVision); a plan with neither runs without it.
   */
  @ParameterizedTest
  @CsvSource({
    "testdata/lab/owner-uid.v4, setpriv, true",
    "testdata/killswitches/resolved-stub.v4, setpriv, true",
    "testdata/killswitches/resolved-stub.v4, dnsmasq, true",
    "testdata/seed/article.v4, setpriv, false",
    "testdata/seed/article.v4, dnsmasq, false",
  })
  void theProgramsThePlanRunsAreChecked(String rules, String program, boolean needed, @TempDir Path dir) throws Exception {
    LabPlan plan = LabSetupPlanTest.plan(java.util.Optional.empty(), java.util.Optional.empty(), rules);
    List<String> tools = Lab.requiredTools(plan, java.util.EnumSet.of(Scenario.BASELINE));
    assertEquals(needed, tools.contains(program), tools.toString());
    if (!needed) return;
    for (String p : tools) {
      if (p.equals(program)) continue;
      assertTrue(Files.writeString(dir.resolve(p), "#!/bin/sh\nexit 0\n").toFile().setExecutable(true));
    }
    LabException e = assertThrows(LabException.class, () -> LabTools.require(tools, new ToolPath(List.of(dir))));
    assertTrue(e.getMessage().contains("missing " + program + " (package " + (program.equals("setpriv") ? "util-linux" : "dnsmasq-base") + ")"),
        e.getMessage());
  }

  @ParameterizedTest
  @CsvSource({"OPENVPN", "WIREGUARD"})
  void nothingIsMissingFromACompletePath(TunnelKind kind, @TempDir Path dir) throws IOException, LabException {
    ToolPath path = fakePathWithout(dir, kind, "");
    if (LabTools.isRoot()) {
      LabTools.require(Lab.requiredTools(kind), path);
    } else {
      LabException e = assertThrows(LabException.class, () -> LabTools.require(Lab.requiredTools(kind), path));
      assertFalse(e.getMessage().contains("missing"), e.getMessage());
    }
  }

  /**
   * The real command, with a PATH that has every program of this host but one: exit 4 and the
   * package named, before any namespace or file of the lab exists.
   */
  @ParameterizedTest
  @CsvSource({
    "openvpn, openvpn, openvpn",
    "wireguard, wireguard-go, wireguard-go",
    "wireguard, wg, wireguard-tools",
    "openvpn, ip, iproute2",
    "openvpn, iptables-restore, iptables",
    "wireguard, python3, python3",
  })
  void aRunOnAPathWithoutTheProgramExitsFour(String kind, String program, String pkg, @TempDir Path dir) throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    for (Path d : ToolPath.fromEnvironment().directories()) {
      if (!Files.isDirectory(d)) continue;
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.toList()) {
          Path link = bin.resolve(f.getFileName().toString());
          if (f.getFileName().toString().equals(program) || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
          if (Files.isRegularFile(f) && Files.isExecutable(f)) Files.createSymbolicLink(link, f.toAbsolutePath());
        }
      }
    }
    try (KsauditProcess run = KsauditProcess.start(Map.of("PATH", bin.toString()), "probe", "--lab", "--tunnel-kind", kind,
        "testdata/seed/article.v4")) {
      int code = run.await(60_000);
      assertEquals(4, code, run.stderr());
      assertTrue(run.stderr().contains("missing " + program + " (package " + pkg + ")"), run.stderr());
      assertTrue(run.stderr().contains("apt-get install -y"), run.stderr());
      assertTrue(run.stdout().isEmpty(), run.stdout());
      assertFalse(Exec.run("ip", "netns", "list").stdout().contains(run.namespacePrefix()), "a namespace was made before the check");
      try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        assertFalse(tmp.anyMatch(p -> p.getFileName().toString().startsWith(ScratchDir.PREFIX + run.pid() + "-")), "a scratch directory was made");
      }
    }
  }
}
