package org.ksaudit.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.ksaudit.catalog.Catalog;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.Netns;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;
import org.ksaudit.parse.Backend;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Host;

/**
 * What each backend holds after a restore is what ksaudit models for that backend: every
 * section of the load-semantics case files is committed with iptables-nft-restore and with
 * iptables-legacy-restore in a scratch namespace, read back with the matching save tool, and
 * compared with {@link ParseResult#loadedBy}: each built-in chain's effective policy (a chain
 * or table that does not exist is the kernel's ACCEPT), the user chains, and each chain's rules
 * by target. Sections a backend refuses are the differential test's business and are skipped
 * here for that backend.
 */
class LoadedTablesKernelTest {
  static final List<Path> CASES = List.of(Path.of("testdata/syntax/duplicate-tables.v4.cases"),
      Path.of("testdata/syntax/nul-bytes.v4.cases"), Path.of("testdata/syntax/long-lines.v4.cases"),
      Path.of("testdata/syntax/long-lines.v6.cases"), Path.of("testdata/syntax/long-lines-latin1.v4.cases"));
  private static final Pattern TARGET = Pattern.compile(" -([jg]) (\\S+)");

  @Test
  void eachBackendHoldsWhatKsauditModelsForIt() throws Exception {
    Host.requireRootWith("ip", "iptables-nft-restore", "iptables-legacy-restore", "iptables-nft-save", "ip6tables-nft-restore",
        "ip6tables-legacy-restore", "ip6tables-nft-save", "ip6tables-legacy-save",
        "iptables-legacy-save");
    int compared = 0;
    List<String> differences = new ArrayList<>();
    for (Path file : CASES) {
      for (RulesFile f : RulesCorpus.under(file.getParent()).stream()
          .filter(r -> r.name().startsWith(file.getFileName() + "#")).toList()) {
        ParseResult parsed = RulesetParser.parse(f.name(), f.text(), f.family(), f.charset());
        for (Backend b : Backend.values()) {
          Optional<String> kernel = loaded(b, f);
          if (kernel.isEmpty()) continue;
          compared++;
          String model = describe(parsed.loadedBy(b));
          if (!model.equals(kernel.get()))
            differences.add(f.name() + " with " + b.tool() + ":\n  kernel: " + kernel.get() + "\n  ksaudit: " + model);
        }
      }
    }
    System.out.printf("loaded tables: %d commits compared with ksaudit's model, %d differences%n", compared,
        differences.size());
    assertTrue(compared >= 10, "too few commits compared: " + compared);
    assertEquals(List.of(), differences);
  }

  /** The state after committing with one backend, or empty when that backend refuses the file. */
  private static Optional<String> loaded(Backend b, RulesFile f) throws Exception {
    String v = f.family() == Family.IPV6 ? "ip6tables" : "iptables";
    String tool = b == Backend.NFT ? "nft" : "legacy";
    Path tmp = java.nio.file.Files.createTempFile("ksaudit-loaded-", ".rules");
    try (Netns ns = Netns.create("loaded")) {
      java.nio.file.Files.write(tmp, f.bytes());
      Exec.Result r = b == Backend.LEGACY
          ? ns.exec(null, 60_000, v + "-legacy-restore", "--wait=60", tmp.toString())
          : ns.exec(null, 60_000, v + "-nft-restore", tmp.toString());
      if (!r.ok()) return Optional.empty();
      Exec.Result save = ns.exec(null, 60_000, v + "-" + tool + "-save");
      assertTrue(save.ok(), "save failed: " + save.stderr());
      return Optional.of(describeSave(save.stdout()));
    } finally {
      java.nio.file.Files.deleteIfExists(tmp);
    }
  }

  /** table -> chain -> "POLICY" or "-" for user chains, then the rules' targets. */
  private static String describeSave(String save) {
    Map<String, Map<String, String>> policies = new TreeMap<>();
    Map<String, Map<String, List<String>>> rules = new TreeMap<>();
    String table = null;
    for (String line : save.split("\n")) {
      if (line.startsWith("*")) {
        table = line.substring(1).strip();
        policies.computeIfAbsent(table, k -> new TreeMap<>());
      } else if (line.startsWith(":") && table != null) {
        String[] w = line.substring(1).split(" ");
        policies.get(table).put(w[0], w[1]);
      } else if (line.startsWith("-A ") && table != null) {
        String chain = line.split(" ")[1];
        Matcher m = TARGET.matcher(line);
        String target = m.find() ? (m.group(1).equals("g") ? "goto " : "") + m.group(2) : "none";
        rules.computeIfAbsent(table, k -> new TreeMap<>()).computeIfAbsent(chain, k -> new ArrayList<>()).add(target);
      }
    }
    return render(policies, rules);
  }

  private static String describe(Ruleset r) {
    Map<String, Map<String, String>> policies = new TreeMap<>();
    Map<String, Map<String, List<String>>> rules = new TreeMap<>();
    for (Table t : r.tables()) {
      Map<String, String> p = policies.computeIfAbsent(t.name(), k -> new TreeMap<>());
      for (Chain c : t.chains()) {
        p.put(c.name(), c.policy().map(Policy::name).orElse("-"));
        for (Rule rule : c.rules())
          rules.computeIfAbsent(t.name(), k -> new TreeMap<>()).computeIfAbsent(c.name(), k -> new ArrayList<>())
              .add(rule.target().map(tg -> (tg.isGoto() ? "goto " : "") + tg.name()).orElse("none"));
      }
    }
    return render(policies, rules);
  }

  /** A built-in chain that is not there, or a table that is not there, is the kernel's ACCEPT. */
  private static String render(Map<String, Map<String, String>> policies, Map<String, Map<String, List<String>>> rules) {
    StringBuilder sb = new StringBuilder();
    for (String table : new TreeSet<>(policies.keySet())) {
      Map<String, String> chains = new TreeMap<>(policies.get(table));
      for (String builtin : Catalog.builtinChains(table)) chains.putIfAbsent(builtin, "ACCEPT");
      boolean bare = chains.entrySet().stream()
          .allMatch(e -> e.getValue().equals("ACCEPT") && Catalog.builtinChains(table).contains(e.getKey()))
          && rules.getOrDefault(table, Map.of()).isEmpty();
      if (bare) continue;
      sb.append(table).append(" {");
      for (Map.Entry<String, String> c : chains.entrySet()) {
        sb.append(' ').append(c.getKey()).append(' ').append(c.getValue());
        List<String> targets = rules.getOrDefault(table, Map.of()).getOrDefault(c.getKey(), List.of());
        if (!targets.isEmpty()) sb.append(' ').append(targets);
        sb.append(';');
      }
      sb.append(" } ");
    }
    return sb.toString().strip();
  }
}
