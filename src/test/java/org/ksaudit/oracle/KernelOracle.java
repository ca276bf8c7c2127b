package org.ksaudit.oracle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.model.Family;

/**
 * The kernel as the judge of a restore file: the file is committed for real, once with the
 * nf_tables backend and once with the legacy backend, each in a fresh scratch network
 * namespace, and it is valid only when both commits succeed. {@code --test} is never used: it
 * lets through jumps to missing chains, jump loops, bad policies and tcp-reset on UDP, which
 * the real commit refuses (LAB-NOTES.md).
 */
public final class KernelOracle {
  private static final long TIMEOUT_MS = 60_000;

  private KernelOracle() {}

  /** The verdict of both backends; an error text is empty when that backend committed. */
  public record Verdict(boolean nftOk, boolean legacyOk, String nftError, String legacyError) {
    public boolean valid() {
      return nftOk && legacyOk;
    }

    /** The first refusal, for failure messages. */
    public String why() {
      if (!nftOk) return "nft: " + nftError;
      if (!legacyOk) return "legacy: " + legacyError;
      return "committed by both backends";
    }
  }

  /** Commits the file's bytes as a ruleset of its family with both backends. */
  public static Verdict judge(RulesFile file) throws LabException {
    Path tmp = null;
    try {
      // the tools read the file itself, so they see its exact bytes whatever its encoding
      tmp = Files.createTempFile("ksaudit-oracle-", ".rules");
      Files.write(tmp, file.bytes());
      String v = file.family() == Family.IPV6 ? "ip6tables" : "iptables";
      Exec.Result nft = commit(v + "-nft-restore", tmp);
      Exec.Result legacy = commit(v + "-legacy-restore", tmp);
      return new Verdict(nft.ok(), legacy.ok(), nft.ok() ? "" : nft.firstLine(), legacy.ok() ? "" : legacy.firstLine());
    } catch (IOException e) {
      throw new LabException("cannot write a scratch copy of " + file.name() + ": " + e.getMessage());
    } finally {
      if (tmp != null) tmp.toFile().delete();
    }
  }

  /**
   * Commits in a namespace of its own that lives as long as the tool: {@code unshare --net}
   * makes it and the kernel removes it when the tool exits, so nothing is left behind on any
   * exit path, at a tenth of the cost of a named namespace added and deleted around it.
   */
  private static Exec.Result commit(String tool, Path file) throws LabException {
    // the legacy lock file lives in /run, shared by every namespace: wait for it instead of failing
    Exec.Result r = tool.contains("legacy")
        ? Exec.run(List.of("unshare", "--net", tool, "--wait=60", file.toString()), null, TIMEOUT_MS)
        : Exec.run(List.of("unshare", "--net", tool, file.toString()), null, TIMEOUT_MS);
    if (r.exitCode() < 0) throw new LabException(tool + " did not finish: " + r.stderr());
    return r;
  }

  /** Judges every file, {@code workers} at a time; results are in input order. */
  public static List<Verdict> judgeAll(List<RulesFile> files, int workers) throws LabException {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<Verdict>> futures = new ArrayList<>();
      for (RulesFile f : files) futures.add(pool.submit(() -> judge(f)));
      List<Verdict> out = new ArrayList<>();
      for (Future<Verdict> fu : futures) out.add(fu.get());
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while judging rulesets");
    } catch (ExecutionException e) {
      throw new LabException("oracle failed: " + e.getCause().getMessage());
    } finally {
      pool.shutdownNow();
    }
  }
}
