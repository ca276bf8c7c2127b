package org.ksaudit.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ksaudit.testsupport.Corpus;
import org.ksaudit.testsupport.Host;

/**
 * The kernel is the oracle: every rules file in testdata/ and the golden diagnostics, seeded
 * generated rulesets, the external corpus when one is named ({@link Corpus}), and a fixed set of
 * mutants of them, is committed for real with both iptables backends, and ksaudit must accept
 * exactly the files both commit. The few files the kernel refuses for reasons outside the
 * file's text are listed in {@link #ALLOWED} with the reason and the kernel's message.
 */
class KernelDifferentialTest {
  /** Fixed seed: every run judges the same mutants. */
  static final long SEED = 20_260_601L;
  /** Mutants per source file; files above {@link #BIG_FILE} lines cost more to commit and get fewer. */
  static final int MUTANTS_PER_FILE = 16;
  static final int MUTANTS_PER_BIG_FILE = 4;
  static final int BIG_FILE = 1_000;
  static final int WORKERS = Math.max(4, 3 * Runtime.getRuntime().availableProcessors());
  /** Mutants of the repository's own files and generated rulesets, whether a corpus is named or not. */
  static final int MIN_MUTANTS = 2_000;

  /**
   * Refusals that depend on the machine, not on the file: source file name -> (reason, the
   * kernel's message). A file, or a mutant of it, is excused only when ksaudit accepts it and
   * the kernel refuses it with exactly that message.
   */
  static final Map<String, Excuse> ALLOWED = Map.of(
      "realworld/configs_serverfault__759927.txt",
      new Excuse("\"-m set --match-set whitelist\" needs the ipset set \"whitelist\" to exist in the kernel at load time;"
          + " the scratch namespace has no sets", "doesn't exist"));

  record Excuse(String reason, String kernelSays) {}

  @Test
  void ksauditAcceptsExactlyWhatTheKernelCommits() throws Exception {
    Host.requireRootWith("unshare", "iptables-nft-restore", "iptables-legacy-restore", "ip6tables-nft-restore",
        "ip6tables-legacy-restore");
    List<RulesFile> repository = RulesCorpus.repository();
    List<RulesFile> corpus = RulesCorpus.external();
    List<RulesFile> originals = new ArrayList<>(repository);
    originals.addAll(corpus);
    List<RulesFile> repositoryMutants = mutants(repository);
    List<RulesFile> mutants = new ArrayList<>(repositoryMutants);
    mutants.addAll(mutants(corpus));
    List<RulesFile> all = new ArrayList<>(originals);
    all.addAll(mutants);

    long start = System.nanoTime();
    List<KernelOracle.Verdict> verdicts = KernelOracle.judgeAll(all, WORKERS);
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;

    int agree = 0;
    int excused = 0;
    int kernelValid = 0;
    List<String> disagreements = new ArrayList<>();
    for (int k = 0; k < all.size(); k++) {
      Judged j = Judged.of(all.get(k), verdicts.get(k));
      if (j.kernel().valid()) kernelValid++;
      if (j.agrees()) agree++;
      else if (excused(j)) excused++;
      else disagreements.add(j.explain());
    }
    long sections = originals.stream().filter(f -> f.name().contains(".cases#")).count();
    System.out.printf("kernel oracle: %d files and %d edge-case sections, %d mutants (%d judged, %d committed by both"
            + " backends) in %d s: %d agreements, %d allow-listed, %d disagreements%n",
        originals.size() - sections, sections, mutants.size(), all.size(), kernelValid, seconds, agree, excused,
        disagreements.size());
    System.out.println(Corpus.describe(corpus.size() + " files and " + (mutants.size() - repositoryMutants.size()) + " mutants"
        + " beside the repository's " + repository.size() + " and " + repositoryMutants.size()));
    disagreements.forEach(d -> System.out.println("DISAGREE " + d));
    assertTrue(repositoryMutants.size() >= MIN_MUTANTS,
        "at least " + MIN_MUTANTS + " mutants of the repository's own rulesets, got " + repositoryMutants.size());
    assertTrue(disagreements.isEmpty(), disagreements.size() + " disagreements with the kernel:\n"
        + String.join("\n", disagreements.subList(0, Math.min(30, disagreements.size()))));
  }

  private static boolean excused(Judged j) {
    String source = j.file().name().split(" \\[", 2)[0];
    Excuse e = ALLOWED.get(source);
    return e != null && j.ksauditAccepts() && j.kernel().why().contains(e.kernelSays());
  }

  /** Mutants of every whole file; the sections of ".cases" files are already edge cases of their own. */
  static List<RulesFile> mutants(List<RulesFile> originals) {
    List<RulesFile> out = new ArrayList<>();
    for (RulesFile f : originals) {
      if (f.name().contains(".cases#")) continue;
      // one generator per file, seeded by its name: adding a file does not change the others' mutants
      Mutator m = new Mutator(SEED ^ f.name().hashCode());
      int lines = f.text().split("\n", -1).length;
      int n = lines > BIG_FILE ? MUTANTS_PER_BIG_FILE : MUTANTS_PER_FILE;
      for (Mutator.Mutant mu : m.mutants(f.name(), f.text(), n)) out.add(f.withText(mu.name(), mu.text()));
    }
    return out;
  }
}
