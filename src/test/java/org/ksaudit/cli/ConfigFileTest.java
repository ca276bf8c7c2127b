package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ksauditrc}: the lookup order (the input's folder up to the repository root, then
 * {@code $XDG_CONFIG_HOME/ksaudit/ksauditrc}), what its keys do, that the command line wins,
 * {@code --config} and {@code --no-config}, and errors at {@code FILE:LINE} with exit 2.
 */
class ConfigFileTest {
  private GateFixture fx;

  @BeforeEach
  void setUp(@TempDir Path dir) {
    fx = new GateFixture(dir);
  }

  @Test
  void theNearestConfigUpToTheRepositoryRootWinsThenTheUsersOwn() throws IOException {
    Path deep = fx.root.resolve("repo/a/b");
    Files.createDirectories(deep);
    Path inA = fx.write("repo/a/.ksauditrc", "");
    Path inRepo = fx.write("repo/.ksauditrc", "");
    fx.write(".ksauditrc", "");
    Path user = fx.write("xdg/ksaudit/ksauditrc", "");
    Path home = fx.write("home/.config/ksaudit/ksauditrc", "");
    Map<String, String> env = Map.of("XDG_CONFIG_HOME", fx.xdg.toString(), "HOME", fx.root.resolve("home").toString());
    assertEquals(Optional.of(inA), ConfigFile.find(deep, env));
    Files.delete(inA);
    assertEquals(Optional.of(inRepo), ConfigFile.find(deep, env));
    Files.delete(inRepo);
    // the .ksauditrc above the repository root is not the repository's
    assertEquals(Optional.of(user), ConfigFile.find(deep, env));
    assertEquals(Optional.of(home), ConfigFile.find(deep, Map.of("HOME", fx.root.resolve("home").toString())));
    assertEquals(Optional.of(home), ConfigFile.find(deep, Map.of("XDG_CONFIG_HOME", "relative", "HOME", fx.root.resolve("home").toString())));
    Files.delete(user);
    assertEquals(Optional.empty(), ConfigFile.find(deep, env));
  }

  @Test
  void ignoreAndFailOnApplyAndTheCommandLineWins() {
    Path rules = fx.rules("lan.v4", "-A OUTPUT -d 192.168.1.0/24 -j ACCEPT");
    assertEquals(1, fx.check(rules).code());
    fx.write("repo/.ksauditrc", "# the printer LAN is reviewed\nignore = KS105\n");
    CliRun ignored = fx.check(rules, "--format", "json");
    assertEquals(0, ignored.code(), ignored.out());
    assertTrue(ignored.out().contains("\"suppressed\":{\"kind\":\"config\",\"reason\":\"ignored by " + fx.root.resolve("repo/.ksauditrc")
        + ":2\",\"until\":null,"), ignored.out());
    assertEquals(1, fx.check(rules, "--no-config").code());
    Path other = fx.write("other.rc", "fail-on = never\n");
    CliRun never = fx.check(rules, "--config", other.toString());
    assertEquals(0, never.code(), never.out());
    assertTrue(never.out().contains("error: lan-exemption"), never.out());
    assertEquals(1, fx.check(rules, "--config", other.toString(), "--fail-on", "error").code());
    assertEquals(2, fx.check(rules, "--config", other.toString(), "--no-config").code());
  }

  @Test
  void everyKeyActsAsItsOption() {
    Path rules = fx.rules("lan.v4", "-A OUTPUT -d 192.168.1.0/24 -j ACCEPT");
    fx.write("repo/sysctl.conf", "net.ipv6.conf.all.disable_ipv6 = 1\nnet.ipv6.conf.default.disable_ipv6 = 1\n");
    fx.write("repo/.ksauditrc", """
        tunnel = tun0
        endpoint = 198.51.100.1:1194/udp
        allow-lan = 192.168.1.0/24, 10.0.0.0/8
        sysctl = sysctl.conf
        format = json
        fail-on = info
        """);
    // no --no-ipv6: the sysctl file of the config disables IPv6
    CliRun r = fx.run("check", rules.toString());
    assertEquals(1, r.code(), r.out());
    assertTrue(r.out().startsWith("{\"tool\":\"ksaudit\""), r.out());
    assertTrue(r.out().contains("\"taken\":[{\"name\":\"tun0\",\"source\":\"--tunnel\""), r.out());
    assertTrue(r.out().contains("\"id\":\"KS105\",\"category\":\"lan-exemption\",\"kind\":\"new-connection\",\"severity\":\"info\""), r.out());
    assertFalse(r.out().contains("KS103"), r.out());
    assertFalse(r.out().contains("KS104"), r.out());
  }

  @Test
  void aRunThatStopsAfterTheConfigChoseJsonSaysWhyInJson() {
    fx.write("repo/.ksauditrc", "format = json\n");
    CliRun r = fx.check(fx.rules("clean.v4"), "--baseline", fx.root.resolve("missing.json").toString());
    assertEquals(2, r.code(), r.both());
    assertTrue(r.out().startsWith("{\"tool\":\"ksaudit\""), r.out());
    assertTrue(r.out().contains("\"exitCode\":2"), r.out());
  }

  @Test
  void unknownKeysAndBadValuesAreErrorsAtTheirLine() {
    Path rules = fx.rules("clean.v4");
    Path rc = fx.root.resolve("repo/.ksauditrc");
    String[][] cases = {
      {"fail-on = error\ncolour = always\n", ":2: unknown key 'colour'"},
      {"fail-on = sometimes\n", ":1: unknown severity 'sometimes'"},
      {"# tunnels\n\ntunnel = tun0, eth0/1\n", ":3: "},
      {"endpoint = 198.51.100.1/udp\n", ":1: "},
      {"allow-lan = 192.168.1.0/33\n", ":1: "},
      {"ignore = KS105, KS999\n", ":1: no finding has the ID 'KS999'"},
      {"sysctl = missing.conf\n", ":1: sysctl file "},
      {"format = yaml\n", ":1: "},
      {"fail-on = error\nfail-on = info\n", ":2: fail-on is given twice (first at line 1)"},
      {"tunnel tun0\n", ":1: expected 'key = value'"},
      {"tunnel =\n", ":1: tunnel has no value"},
    };
    for (String[] c : cases) {
      fx.write("repo/.ksauditrc", c[0]);
      CliRun r = fx.check(rules);
      assertEquals(2, r.code(), c[0] + r.both());
      assertTrue(r.err().contains(rc + c[1]), c[0] + " -> " + r.err());
      assertEquals(1, r.err().lines().filter(l -> !l.startsWith("Try ")).count(), r.err());
    }
  }
}
