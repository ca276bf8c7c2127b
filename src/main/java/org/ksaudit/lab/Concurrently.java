package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Runs independent steps of the lab side by side: most of them wait on another process (a
 * prober's timeouts, iptables-save in another namespace), so running them one after the other
 * adds up waits that overlap nothing.
 */
final class Concurrently {
  /** A step of the lab: its result, or the lab's failure. */
  interface Step<T> {
    T run() throws LabException;
  }

  /** A step of the lab that returns nothing. */
  interface Action {
    void run() throws LabException;
  }

  private Concurrently() {}

  /** Runs every action at once; the first failure (in order) is thrown once all have ended. */
  static void all(List<Action> actions) throws LabException {
    run(actions.stream().<Step<Boolean>>map(a -> () -> {
      a.run();
      return true;
    }).toList());
  }

  /** Runs every step at once and returns their results in order; the first failure (in order) is thrown once all have ended. */
  static <T> List<T> run(List<Step<T>> steps) throws LabException {
    if (steps.size() == 1) return List.of(steps.get(0).run());
    ExecutorService pool = Executors.newFixedThreadPool(steps.size(), r -> {
      Thread t = new Thread(r, "lab-step");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Step<T> s : steps) futures.add(pool.submit(s::run));
      List<T> out = new ArrayList<>();
      LabException failed = null;
      for (Future<T> f : futures) {
        try {
          out.add(f.get());
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) throw r;
          if (e.getCause() instanceof Error r) throw r;
          if (failed == null) failed = (LabException) e.getCause();
          out.add(null);
        }
      }
      if (failed != null) throw failed;
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    } finally {
      // every step ends before this returns or throws, whatever ended it: a step still running could
      // otherwise make a namespace after the lab's close() has deleted the others, and nothing would remove it
      awaitAll(pool);
    }
  }

  private static void awaitAll(ExecutorService pool) {
    pool.shutdown();
    boolean interrupted = false;
    while (!pool.isTerminated()) {
      try {
        pool.awaitTermination(1, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
