package org.ksaudit.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The README's CI recipes and the repository's pre-commit hook: every YAML block of the
 * section "Where to plug it in" parses, each ksaudit command in it names a subcommand ksaudit
 * has, and .pre-commit-hooks.yaml is a list of hooks in the pre-commit framework's shape whose
 * entry is the repository's launcher and whose pattern takes the dumps and leaves other files.
 */
class RulesRecipesTest {
  private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);
  private static final Pattern COMMAND = Pattern.compile("ksaudit\\.jar\"? (\\w+) ");

  @Test
  void everyRecipeParsesAndCallsARealSubcommand() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int from = readme.indexOf("## Where to plug it in");
    String section = readme.substring(from, readme.indexOf("\n## ", from + 1));
    Matcher m = YAML_BLOCK.matcher(section);
    List<Object> docs = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    while (m.find()) {
      docs.add(new Yaml().load(m.group(1)));
      Matcher c = COMMAND.matcher(m.group(1));
      while (c.find()) commands.add(c.group(1));
    }
    assertEquals(3, docs.size(), "GitHub Actions, GitLab CI and pre-commit recipes");
    Map<?, ?> github = (Map<?, ?>) docs.get(0);
    Map<?, ?> job = (Map<?, ?>) ((Map<?, ?>) github.get("jobs")).get("ksaudit");
    List<?> steps = (List<?>) job.get("steps");
    assertTrue(steps.stream().anyMatch(s -> String.valueOf(((Map<?, ?>) s).get("uses")).startsWith("github/codeql-action/upload-sarif")),
        "the GitHub job uploads its SARIF");
    Map<?, ?> gitlab = (Map<?, ?>) ((Map<?, ?>) docs.get(1)).get("ksaudit");
    assertEquals("ksaudit-junit.xml", ((Map<?, ?>) ((Map<?, ?>) gitlab.get("artifacts")).get("reports")).get("junit"));
    assertFalse(commands.isEmpty());
    for (String c : commands) assertTrue(List.of("check", "diff").contains(c), "ksaudit has no subcommand " + c);
  }

  @Test
  void thePreCommitHookRunsTheLauncherOnDumpsOnly() throws Exception {
    Object doc = new Yaml().load(Files.readString(Path.of(".pre-commit-hooks.yaml")));
    List<?> hooks = (List<?>) doc;
    assertEquals(1, hooks.size());
    Map<?, ?> hook = (Map<?, ?>) hooks.get(0);
    for (String key : List.of("id", "name", "entry", "language")) assertTrue(hook.containsKey(key), "a hook needs " + key);
    assertEquals("ksaudit", hook.get("id"));
    assertEquals("script", hook.get("language"));
    String entry = (String) hook.get("entry");
    Path launcher = Path.of(entry.split(" ")[0]);
    assertTrue(Files.isExecutable(launcher), "a script hook's entry is a file of the repository: " + launcher);
    assertEquals("check", entry.split(" ")[1]);
    assertEquals(Boolean.TRUE, hook.get("require_serial"), "pairs must not be split across runs");
    Pattern files = Pattern.compile((String) hook.get("files"));
    for (String f : List.of("rules.v4", "etc/iptables/rules.v6", "web1.v4.rules", "hosts/db/rules4")) {
      assertTrue(files.matcher(f).find(), "the hook must take " + f);
    }
    for (String f : List.of("README.md", "rules.v4.bak", "pom.xml")) assertFalse(files.matcher(f).find(), "the hook must leave " + f);
  }
}
