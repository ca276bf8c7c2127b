package org.ksaudit.analysis;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Family;
import org.ksaudit.model.Policy;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.Table;

/**
 * Runs one concrete packet through a ruleset, rule by rule, as the kernel does, recording
 * every rule that matched: the answer to "what happens to this packet?". It shares the
 * decoding of rules with the set engine but nothing of its evaluation, so each checks the other.
 * Matches it cannot decide are decided by an {@link UnknownOracle}.
 */
public final class ConcreteInterpreter {
  private final Ruleset ruleset;
  private final UnknownOracle oracle;
  private final RuleDecoding decoding;

  public ConcreteInterpreter(Ruleset ruleset, UnknownOracle oracle) {
    this(new RuleDecoding(ruleset), oracle);
  }

  /** An interpreter reading the rules through a decoding an analysis has made already (a witness's replay). */
  ConcreteInterpreter(RuleDecoding decoding, UnknownOracle oracle) {
    this.ruleset = decoding.ruleset();
    this.oracle = oracle;
    this.decoding = decoding;
  }

  /** The verdict, the packet as it was at the end (rewritten by NAT or MARK), and every step. */
  public record Result(Verdict verdict, Packet finalPacket, List<TraceStep> steps, boolean metUnknown) {
    public Result {
      steps = List.copyOf(steps);
    }
  }

  public Result run(Path path, Packet start) {
    if (start.family() != ruleset.family()) throw new IllegalArgumentException("family mismatch");
    Walk w = new Walk();
    Packet p = start;
    for (Path.Stage stage : path.stages()) {
      Optional<Table> table = ruleset.table(stage.table());
      Optional<Chain> chain = table.flatMap(t -> t.chain(stage.chain()));
      if (chain.isEmpty()) continue;
      if (stage.natOnly() && p.state() != ConnState.NEW) continue;
      Outcome o = w.chain(table.get(), chain.get(), p, stage.view(), 0);
      p = o.packet;
      if (o.verdict != Verdict.ACCEPT) return new Result(o.verdict, p, w.steps, w.metUnknown);
    }
    return new Result(Verdict.ACCEPT, p, w.steps, w.metUnknown);
  }

  /** A chain's result: a verdict, or (verdict null) the packet returns to the caller. */
  private record Outcome(Verdict verdict, Packet packet) {}

  private final class Walk {
    final List<TraceStep> steps = new ArrayList<>();
    boolean metUnknown;

    private final UnknownOracle watching = k -> {
      metUnknown = true;
      return oracle.test(k);
    };

    Outcome chain(Table table, Chain chain, Packet start, StageView view, int depth) {
      Packet p = start;
      for (Rule r : chain.rules()) {
        RuleDecoder.Decoded d = decoding.decode(table, r);
        if (!matches(d, p, view)) continue;
        TargetAction a = d.action();
        steps.add(step(table, chain, r));
        if (a instanceof TargetAction.Terminal t) return new Outcome(t.verdict(), p);
        if (a instanceof TargetAction.Return) return returned(table, chain, p);
        if (a instanceof TargetAction.Jump j) {
          Optional<Chain> target = table.chain(j.chain());
          if (target.isEmpty() || depth >= SetEngine.MAX_DEPTH) {
            return new Outcome(unknownVerdict(new UnknownKey(r.pos(), UnknownKey.VERDICT, "the verdict of -j " + j.chain())), p);
          }
          Outcome o = chain(table, target.get(), p, view, depth + 1);
          if (o.verdict != null) return o;
          if (j.isGoto()) return returned(table, chain, o.packet);
          p = o.packet;
        } else if (a instanceof TargetAction.Continue c) {
          for (TargetAction.Effect e : c.effects()) {
            // the concrete run keeps the mark, one of the values an unknown rewrite may give it
            if (e instanceof TargetAction.AnyMark) metUnknown = true;
            p = apply(p, e);
          }
        } else if (a instanceof TargetAction.Nat n) {
          if (n.rewrite().isPresent()) {
            TargetAction.DstRewrite rw = n.rewrite().get();
            if (rw.choosesAmongSeveral()) watching.test(new UnknownKey(r.pos(), UnknownKey.REWRITE, "the address DNAT picks"));
            p = rewrite(p, rw);
          }
          return new Outcome(Verdict.ACCEPT, p);
        } else if (a instanceof TargetAction.UnknownVerdict u) {
          return new Outcome(unknownVerdict(u.key()), p);
        }
      }
      return returned(table, chain, p);
    }

    private Outcome returned(Table table, Chain chain, Packet p) {
      if (!chain.builtin()) return new Outcome(null, p);
      Verdict v = chain.policy().get() == Policy.DROP ? Verdict.DROP : Verdict.ACCEPT;
      // an ACCEPT policy outside filter only passes the packet on: showing it would bury the steps that matter
      if (v == Verdict.DROP || table.name().equals("filter")) steps.add(new TraceStep(chain.pos().file(), chain.pos().line(), table.name(), chain.name(), v.name(), true));
      return new Outcome(v, p);
    }

    private Verdict unknownVerdict(UnknownKey key) {
      return watching.test(key) ? Verdict.ACCEPT : Verdict.DROP;
    }

    private boolean matches(RuleDecoder.Decoded d, Packet p, StageView view) {
      Packet seen = p;
      if (!view.inputVisible()) seen = withIif(seen, "");
      if (!view.outputVisible()) seen = seen.withOif("");
      for (Condition c : d.conditions()) if (!c.test(seen, watching)) return false;
      return true;
    }
  }

  private static Packet withIif(Packet p, String iif) {
    return new Packet(p.family(), p.proto(), p.src(), p.dst(), p.sport(), p.dport(), p.icmpType(), p.icmpCode(),
        p.tcpFlags(), iif, p.oif(), p.state(), p.mark(), p.ctmark(), p.uid(), p.gid(), p.socket(), p.fragment(),
        p.srcType(), p.dstType(), p.shape());
  }

  private static TraceStep step(Table table, Chain chain, Rule r) {
    String target = r.target().map(t -> (t.isGoto() ? "goto " : "") + t.name()).orElse("(no target)");
    return new TraceStep(r.pos().file(), r.pos().line(), table.name(), chain.name(), target, false);
  }

  static Packet apply(Packet p, TargetAction.Effect e) {
    if (e instanceof TargetAction.MarkRewrite m) {
      long old = m.conn() ? p.ctmark() : p.mark();
      long other = m.conn() ? p.mark() : p.ctmark();
      long v = ((old & m.keep()) ^ (other & m.take()) ^ m.constant()) & 0xffffffffL;
      return m.conn() ? p.withCtmark(v) : p.withMark(v);
    }
    if (e instanceof TargetAction.Notrack) return p.withState(ConnState.UNTRACKED);
    return p;
  }

  /** DNAT to the first address and port of the range; REDIRECT to the loopback address. */
  static Packet rewrite(Packet p, TargetAction.DstRewrite rw) {
    Packet q = p;
    if (rw.local()) {
      BigInteger lo = p.family() == Family.IPV4 ? BigInteger.valueOf(0x7f000001L) : BigInteger.ONE;
      q = q.withDst(lo, AddrType.LOCAL);
    } else if (rw.from().isPresent()) {
      BigInteger a = rw.from().get();
      q = q.withDst(a, AddrType.classify(p.family(), a, SymbolicCompiler.NO_ADDRESS));
    }
    if (rw.ports().isPresent()) q = q.withDport(rw.ports().get().from());
    return q;
  }
}
