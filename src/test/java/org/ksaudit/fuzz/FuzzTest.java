package org.ksaudit.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.ksaudit.lab.Exec;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.Probe;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.oracle.KernelOracle;
import org.ksaudit.oracle.RulesFile;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.parse.RulesetParser;
import org.ksaudit.testsupport.Host;

/**
 * Seeded fuzzing of {@code ksaudit check}, with the kernel as the judge of "clean". Every
 * input (generated killswitches, near-valid variants, byte-level mutations of testdata; see
 * {@link FuzzInputs}) goes through Main.run in-process and must end within 2 s with exit 0, 1
 * or 2, never with an internal error, an escaped throwable or running out of memory. A share
 * of them is loaded into a namespace with the real iptables-restore (see {@link KernelJudge}):
 * where ksaudit refuses a file the kernel must refuse it too (both backends asked before this
 * counts as a disagreement), where ksaudit accepts it the kernel must load it, and then the
 * category's boundary probes and every replayable witness are sent (see {@link LeakVerdicts}).
 *
 * <p>{@code -Dfuzz.count=N} (default 20,000) inputs, {@code -Dfuzz.judged=N} (default a tenth)
 * judged by the kernel, {@code -Dfuzz.seed=S} (printed), {@code -Dfuzz.only=INDEX} runs one
 * input. Inputs that disagree are written to target/fuzz-failures/ for a fixture.
 */
class FuzzTest {
  private static final long DEFAULT_SEED = 20_261_205L;
  private static final long DEADLINE_MILLIS = 2_000;
  private static final int MAX_FAILURES = 25;
  private static final String[] KERNEL_TOOLS = {"ip", "unshare", "iptables-restore", "ip6tables-restore", "iptables-nft-restore",
      "iptables-legacy-restore", "ip6tables-nft-restore", "ip6tables-legacy-restore", "python3"};
  /** The leak probes' uplinks, the tunnels, and the names a witness may carry (InterfaceUniverse's familiar names). */
  private static final List<String> INTERFACES = List.of("eth0", "wlan0", "tun0", "wg0", "proton0", "enp1s0", "eth1", "wlan1",
      "ens3", "tap0", "ppp0", "docker0", "br0", "x0", "q9", "ksa0", "tun1", "wg1");

  private final LongAdder[] exits = {new LongAdder(), new LongAdder(), new LongAdder()};
  private final AtomicLong slowest = new AtomicLong();
  private final LongAdder late = new LongAdder();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final List<String> disagreements = Collections.synchronizedList(new ArrayList<>());
  private final AtomicBoolean stop = new AtomicBoolean();
  private long judged;
  private long refusedByBoth;
  private long probes;
  private long leaks;
  private long witnesses;
  private long witnessesSkipped;
  private long cleanCategories;
  private long kernelMillis;
  private long restores;

  /** A judged input with what ksaudit said about it. */
  private record Verdict(FuzzInput input, CheckRun.Result result) {}

  private static final Verdict END = new Verdict(null, null);

  @Test
  void everyInputEndsInTimeAndTheKernelConfirmsEveryVerdict() throws Exception {
    long seed = Long.getLong("fuzz.seed", DEFAULT_SEED);
    int count = Integer.getInteger("fuzz.count", 20_000);
    int quota = Integer.getInteger("fuzz.judged", Math.max(1, count / 10));
    Integer only = Integer.getInteger("fuzz.only");
    int lanes = Integer.getInteger("fuzz.threads", 2);
    boolean kernel = Host.isRoot() && List.of(KERNEL_TOOLS).stream().allMatch(Exec::onPath);
    System.out.printf("fuzz: seed %d (-Dfuzz.seed=), %d inputs (-Dfuzz.count=), %d judged by the kernel (-Dfuzz.judged=)%s%n", seed, count,
        kernel ? quota : 0, kernel ? "" : ": no kernel judging (needs root and " + String.join(", ", KERNEL_TOOLS) + ")");
    FuzzInputs inputs = new FuzzInputs(seed, count, quota);
    clearSavedFailures();
    long start = System.nanoTime();
    BlockingQueue<Verdict> toKernel = new ArrayBlockingQueue<>(64);
    Thread judge = null;
    if (kernel) {
      judge = new Thread(() -> judgeAll(toKernel, seed), "fuzz-kernel");
      judge.start();
    }
    List<Thread> workers = new ArrayList<>();
    for (int lane = 0; lane < lanes; lane++) {
      int first = lane;
      Thread t = new Thread(() -> runLane(inputs, first, lanes, count, only, kernel ? toKernel : null, seed), "fuzz-lane-" + lane);
      t.start();
      workers.add(t);
    }
    for (Thread t : workers) t.join();
    if (judge != null) {
      toKernel.put(END);
      judge.join();
    }
    long seconds = (System.nanoTime() - start) / 1_000_000_000;
    long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000_000;
    long total = exits[0].sum() + exits[1].sum() + exits[2].sum() + failures.size();
    System.out.printf("fuzz: seed %d: %d inputs in %d s (%d s of CPU in this JVM), exit 0: %d, exit 1: %d, exit 2: %d, failed: %d;"
        + " slowest %d ms, %d past %d ms on a busy machine with under %d ms of CPU%n", seed, total, seconds, cpu, exits[0].sum(),
        exits[1].sum(), exits[2].sum(), failures.size(), slowest.get(), late.sum(), DEADLINE_MILLIS, DEADLINE_MILLIS);
    System.out.printf("fuzz: judged by the kernel: %d inputs (%d refused by ksaudit and the kernel alike) in %d s, %d restores,"
        + " %d probes (%d leaked), %d clean categories confirmed, %d witnesses replayed (%d on interfaces or addresses the judge"
        + " cannot send), %d disagreements%n", judged, refusedByBoth, kernelMillis / 1000, restores, probes, leaks, cleanCategories,
        witnesses, witnessesSkipped, disagreements.size());
    List<String> problems = new ArrayList<>(failures);
    problems.addAll(disagreements);
    Collections.sort(problems);
    for (String p : problems.subList(0, Math.min(40, problems.size()))) System.out.println("  " + p);
    assertEquals(List.of(), problems, problems.size() + " failures and disagreements (seed " + seed + ")");
    if (only == null) {
      assertTrue(total >= count, "only " + total + " inputs ran");
      if (kernel) assertTrue(judged >= quota, "only " + judged + " inputs judged by the kernel");
    }
    if (!kernel) Host.requireRootWith(KERNEL_TOOLS);
  }

  private void runLane(FuzzInputs inputs, int first, int lanes, int count, Integer only, BlockingQueue<Verdict> toKernel, long seed) {
    Path dir;
    try {
      dir = Files.createTempDirectory("ksaudit-fuzz-");
    } catch (IOException e) {
      failures.add("cannot make a scratch directory: " + e);
      return;
    }
    try (CheckRun runner = new CheckRun(dir, DEADLINE_MILLIS)) {
      // the first runs of a JVM load and compile ksaudit's classes: a deadline measures inputs, not that
      for (int i = 0; i < 12; i++) runner.run(inputs.make(-1 - i - 12 * first));
      for (int i = first; i < count && !stop.get(); i += lanes) {
        if (only != null && i != only) continue;
        FuzzInput in = inputs.make(i);
        CheckRun.Result r = runner.run(in);
        slowest.accumulateAndGet(r.millis(), Math::max);
        if (r.millis() > DEADLINE_MILLIS) late.increment();
        String why = problem(r);
        if (why != null) {
          fail("seed " + seed + " " + in.name() + ": " + why, in, r);
          continue;
        }
        exits[r.exit()].increment();
        if (in.judged() && toKernel != null) toKernel.put(new Verdict(in, r));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (var s = Files.walk(dir)) {
        for (Path p : s.sorted(Collections.reverseOrder()).toList()) Files.deleteIfExists(p);
      } catch (IOException e) {
        // a scratch file left in /tmp is harmless
      }
    }
  }

  /** What is wrong with a run, or null: only exit 0, 1 or 2 within the deadline, no internal error, no stack trace. */
  private static String problem(CheckRun.Result r) {
    if (r.timedOut()) return "did not end within " + DEADLINE_MILLIS + " ms (nor in the grace period after it)";
    if (r.cpuMillis() > DEADLINE_MILLIS) return "did not end within " + DEADLINE_MILLIS + " ms (" + r.cpuMillis() + " ms of CPU)";
    if (r.exit() == -2) return r.err();
    if (r.exit() < 0 || r.exit() > 2) return "exit " + r.exit() + ": " + firstLine(r.err());
    if (r.err().contains("internal error") || r.err().contains("\tat ") || r.err().contains("Exception")) {
      return "exit " + r.exit() + " with a failure on stderr: " + firstLine(r.err());
    }
    return null;
  }

  private void fail(String message, FuzzInput in, CheckRun.Result r) {
    failures.add(message);
    save(in, message, r);
    if (failures.size() + disagreements.size() >= MAX_FAILURES) stop.set(true);
  }

  private void disagree(String message, FuzzInput in, CheckRun.Result r) {
    disagreements.add(message);
    save(in, message, r);
    if (failures.size() + disagreements.size() >= MAX_FAILURES) stop.set(true);
  }

  /** Keeps a failing input under target/fuzz-failures/ (the build directory), with what went wrong. */
  private static void save(FuzzInput in, String message, CheckRun.Result r) {
    try {
      Path dir = failuresDir();
      Files.createDirectories(dir);
      for (FuzzInput.File f : in.files()) {
        Files.write(dir.resolve("input-" + in.index() + (f.byName() == Family.IPV4 ? ".v4" : ".v6")), f.bytes());
      }
      Files.writeString(dir.resolve("input-" + in.index() + ".txt"), message + "\noptions: " + in.options() + "\nexit " + r.exit()
          + "\n--- stdout\n" + r.out() + "\n--- stderr\n" + r.err(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      // the message itself is reported; the copy is a convenience
    }
  }

  private static Path failuresDir() {
    return Path.of(System.getProperty("ksaudit.build.dir", "target")).resolve("fuzz-failures");
  }

  private static void clearSavedFailures() throws IOException {
    if (!Files.isDirectory(failuresDir())) return;
    try (var s = Files.list(failuresDir())) {
      for (Path p : s.toList()) Files.deleteIfExists(p);
    }
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  private void judgeAll(BlockingQueue<Verdict> queue, long seed) {
    try (KernelJudge kj = KernelJudge.create(INTERFACES)) {
      while (true) {
        Verdict v = queue.take();
        if (v == END) return;
        long t = System.nanoTime();
        judge(kj, v, seed);
        kernelMillis += (System.nanoTime() - t) / 1_000_000;
        restores = kj.restores();
      }
    } catch (LabException e) {
      failures.add("the kernel judge failed: " + e.getMessage());
      stop.set(true);
      queue.clear();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void judge(KernelJudge kj, Verdict v, long seed) throws LabException {
    FuzzInput in = v.input();
    CheckRun.Result r = v.result();
    String who = "seed " + seed + " " + in.name() + ": ";
    judged++;
    Optional<String> text4 = in.file(Family.IPV4).map(FuzzInput.File::text);
    Optional<String> text6 = in.file(Family.IPV6).map(FuzzInput.File::text);
    Optional<String> refused = kj.load(Family.IPV4, text4).map(m -> "ipv4: " + m);
    if (refused.isEmpty()) refused = kj.load(Family.IPV6, text6).map(m -> "ipv6: " + m);
    if (r.exit() == 2) {
      if (refused.isPresent()) {
        refusedByBoth++;
        return;
      }
      // nf_tables loaded it; a refusal is still right if the legacy backend refuses
      for (FuzzInput.File f : in.files()) {
        Family fam = f.given().orElse(f.byName());
        KernelOracle.Verdict both = KernelOracle.judge(new RulesFile(in.name(), f.text(), fam, StandardCharsets.UTF_8));
        if (!both.valid()) {
          refusedByBoth++;
          return;
        }
      }
      disagree(who + "ksaudit refuses (exit 2: " + firstLine(r.err()) + ") what both backends load", in, r);
      return;
    }
    if (refused.isPresent()) {
      disagree(who + "ksaudit accepts (exit " + r.exit() + ") what the nf_tables commit refuses: " + refused.get(), in, r);
      return;
    }
    List<LeakVerdicts.Reported> findings = LeakVerdicts.findings(r.out(), r.files());
    Random rnd = new Random(seed ^ in.index());
    Map<Family, LeakVerdicts.Intended> intended = new TreeMap<>();
    List<Probe> sent = new ArrayList<>();
    for (Family f : Family.values()) {
      Optional<String> text = f == Family.IPV4 ? text4 : text6;
      LeakVerdicts.Intended it = LeakVerdicts.intended(f, in.options(), text);
      intended.put(f, it);
      sent.addAll(LeakVerdicts.probes(new LeakVerdicts.Side(f, text, text.map(t -> parse(f, t))), it, rnd));
    }
    List<LeakVerdicts.Reported> replayed = new ArrayList<>();
    for (LeakVerdicts.Reported f : findings) {
      if (f.witness().isEmpty() || !f.newConnection() || !f.certainty().equals("definite")) continue;
      Probe w = f.witness().get();
      if (!f.replayable() || !kj.interfaces().contains(w.oif()) || !LeakVerdicts.sendable(w)) {
        witnessesSkipped++;
        continue;
      }
      replayed.add(f);
      sent.add(w);
    }
    Map<Probe, Boolean> arrived = kj.send(sent);
    Set<String> leakCategories = Set.of("dns-leak", "ipv6-leak", "vpn-endpoint-too-broad", "lan-exemption", "direct-leak");
    Map<String, Boolean> confirmed = new TreeMap<>();
    for (Map.Entry<Probe, Boolean> e : arrived.entrySet()) {
      Probe p = e.getKey();
      if (!LeakVerdicts.UPLINKS.contains(p.oif())) continue;
      probes++;
      LeakVerdicts.Intended it = intended.get(p.family());
      for (String c : LeakVerdicts.categories(p, it)) {
        boolean reported = findings.stream().anyMatch(f -> (f.category().equals(c) || f.traffic().contains(LeakVerdicts.kindOf(c)))
            && f.family().map(x -> x == p.family()).orElse(true));
        if (!reported && leakCategories.contains(c)) confirmed.merge(p.family() + " " + c, !e.getValue(), Boolean::logicalAnd);
      }
      if (!e.getValue() || it.isEndpoint(p)) continue;
      leaks++;
      boolean wholeFamily = findings.stream().anyMatch(f -> f.wholeFamily() && f.family().map(x -> x == p.family()).orElse(true));
      if (wholeFamily || LeakVerdicts.covering(p, it, findings).isPresent()) continue;
      disagree(who + "the kernel lets " + p.family().label() + " " + p.traceLine() + " out, but ksaudit (exit " + r.exit()
          + ") reports no " + (LeakVerdicts.declaredLan(p, it) ? "lan-exemption" : "error in " + LeakVerdicts.categories(p, it))
          + " for it", in, r);
      return;
    }
    for (boolean ok : confirmed.values()) if (ok) cleanCategories++;
    for (LeakVerdicts.Reported f : replayed) {
      witnesses++;
      Probe w = f.witness().get();
      if (!arrived.get(w)) {
        disagree(who + "the witness " + w.family().label() + " " + w.traceLine() + " of " + f.text() + " does not leak in the kernel", in, r);
        return;
      }
    }
  }

  private static Ruleset parse(Family f, String text) {
    ParseResult pr = RulesetParser.parse("fuzz", text, f);
    return pr.ruleset();
  }
}
