package org.ksaudit.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.ksaudit.analysis.AnalysisLimit;
import org.ksaudit.diagnostic.Diagnostic;
import org.ksaudit.model.Ruleset;

/**
 * The killswitch audit: runs every check over the rulesets (at most one IPv4 and one IPv6)
 * in the scenario "the tunnel is gone" and returns the findings, most severe first.
 */
public final class KillswitchAudit {
  private KillswitchAudit() {}

  /** Every check, in ID order. */
  public static List<Check> checks() {
    return List.of(new DefaultPolicyCheck(), new DnsLeakCheck(), new Ipv6LeakCheck(), new VpnEndpointCheck(),
        new LanExemptionCheck(), new DirectLeakCheck(), new ForwardLeakCheck(), new UnreachableRuleCheck(),
        new ShadowedRuleCheck(), new UndefinedChainCheck(), new LinkLocalCheck(), new InterfaceWildcardCheck());
  }

  public static Optional<Check> check(String idOrCategory) {
    return checks().stream()
        .filter(c -> c.info().id().equalsIgnoreCase(idOrCategory) || c.info().category().jsonName().equals(idOrCategory))
        .findFirst();
  }

  /**
   * The heap below which the audit uses one thread: the second thread's analyses hold a packet
   * space of their own beside the first's, which on a large ruleset doubles the peak (the
   * 100k-line kube-proxy dump runs out of a 1 GiB heap with two threads, not with one).
   */
  static final long TWO_THREAD_HEAP = 2L << 30;

  /** The findings of the audit. */
  public static List<Finding> audit(List<Ruleset> rulesets, AuditOptions options) {
    return run(rulesets, options).findings();
  }

  /** The findings, and the notes about the audit itself. */
  public static AuditResult run(List<Ruleset> rulesets, AuditOptions options) {
    Runtime rt = Runtime.getRuntime();
    return run(rulesets, options, rt.availableProcessors() > 1 && rt.maxMemory() >= TWO_THREAD_HEAP);
  }

  /** The audit's findings, with or without a second thread (tests compare both). */
  static List<Finding> audit(List<Ruleset> rulesets, AuditOptions options, boolean twoThreads) {
    return run(rulesets, options, twoThreads).findings();
  }

  static AuditResult run(List<Ruleset> rulesets, AuditOptions options, boolean twoThreads) {
    AuditContext ctx = new AuditContext(rulesets, options);
    List<Finding> out = new ArrayList<>();
    // The forward and reachability analyses run beside the OUTPUT leak checks when there is a
    // second processor (a large ruleset's audit takes half the time); each analysis is dropped
    // when its checks are done (memory on large rulesets).
    Aside aside = twoThreads ? Aside.start(ctx) : Aside.NONE;
    for (AuditContext.Purpose purpose : AuditContext.Purpose.values()) {
      if (purpose == AuditContext.Purpose.FORWARD_LEAKS) {
        // the forward analysis the second thread has not started yet is done here, beside its reachability
        if (twoThreads) ctx.prepareForward();
        aside.await();
      }
      for (Check c : checks()) if (c.purpose() == purpose) out.addAll(c.run(ctx));
      ctx.release(purpose);
    }
    out.sort(ORDER);
    return new AuditResult(out, ctx.tunnelChoice(), limitNote(ctx.limitsReached()).stream().toList());
  }

  /**
   * One warning, at the first place in the files, when the analysis reached a limit of the
   * engine anywhere: beyond it the verdicts are unknown ("possible" leaks) and no rule is
   * said to be unreachable or shadowed, so the limit itself never becomes a finding.
   */
  static Optional<Diagnostic> limitNote(List<AnalysisLimit> limits) {
    if (limits.isEmpty()) return Optional.empty();
    AnalysisLimit first = limits.get(0);
    Set<String> kinds = new LinkedHashSet<>();
    for (AnalysisLimit l : limits) kinds.add(l.describe());
    long places = limits.stream().map(AnalysisLimit::at).distinct().count();
    String where = places == 1 ? "here" : "here and at " + (places - 1) + (places == 2 ? " other jump" : " other jumps");
    String msg = "the analysis does not follow -j " + first.target() + " (" + first.table() + "/" + first.chain() + ") " + where
        + ": " + String.join("; ", kinds) + ". What lies beyond is unknown to it: leaks through it are reported as possible,"
        + " and no rule beyond it as unreachable or shadowed";
    return Optional.of(Diagnostic.warning(first.at(), first.target().length(), msg,
        "the kernel runs such rules (the legacy backend loads chains nested thousands deep); review what lies beyond by hand",
        ""));
  }

  /** The forward and reachability analyses on a thread of their own; their results are cached in the context. */
  private static final class Aside {
    static final Aside NONE = new Aside(null);
    private final Thread thread;
    private volatile Throwable failure;

    private Aside(Thread thread) {
      this.thread = thread;
    }

    static Aside start(AuditContext ctx) {
      Aside a = new Aside(new Thread(ctx::prepareReachabilityAndForward, "ksaudit-reachability-and-forward"));
      a.thread.setDaemon(true);
      a.thread.setUncaughtExceptionHandler((t, e) -> a.failure = e);
      a.thread.start();
      return a;
    }

    /** Waits for the analyses; a failure there is the audit's failure, thrown here as it would have been inline. */
    void await() {
      if (thread == null) return;
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) Thread.currentThread().interrupt();
      Throwable f = failure;
      if (f instanceof RuntimeException r) throw r;
      if (f instanceof Error e) throw e;
      if (f != null) throw new IllegalStateException(f);
    }
  }

  /** Most severe first, then by file and line, then by ID: a stable order for reports and golden files. */
  static final Comparator<Finding> ORDER = Comparator.comparing((Finding f) -> f.severity()).reversed()
      .thenComparing(Finding::file)
      .thenComparing(f -> f.line().orElse(0))
      .thenComparing(Finding::id)
      .thenComparing(Finding::message);
}
