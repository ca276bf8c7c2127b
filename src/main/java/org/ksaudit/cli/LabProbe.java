package org.ksaudit.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.ksaudit.check.Finding;
import org.ksaudit.check.Sysctl;
import org.ksaudit.check.Witness;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.lab.ForwardingPlan;
import org.ksaudit.lab.ForwardingPlanner;
import org.ksaudit.lab.Lab;
import org.ksaudit.lab.LabAddress;
import org.ksaudit.lab.LabException;
import org.ksaudit.lab.LabPlan;
import org.ksaudit.lab.LabPlanner;
import org.ksaudit.lab.LabTools;
import org.ksaudit.lab.LeakProber;
import org.ksaudit.lab.Predictor;
import org.ksaudit.lab.Probe;
import org.ksaudit.lab.ProbeReport;
import org.ksaudit.lab.Scenario;
import org.ksaudit.lab.ScratchDir;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.setup.SetupInference;

/**
 * The lab run of rules already loaded and audited, as {@code probe --lab} and {@code report --lab}
 * make it: the audit's witnesses become probes (the forwarded ones the LAN host's), the lab is
 * planned from the rules and what was declared, and every probe is measured beside the engine's
 * prediction.
 */
final class LabProbe {
  private LabProbe() {}

  /** Stops with exit 4 naming each program the lab would need and lacks: before the audit, which takes seconds. */
  static void requireTools(List<Ruleset> rulesets, LabPlanner.Declared declared, Set<Scenario> selected) throws Failure {
    try {
      LabTools.require(Lab.requiredTools(LabPlanner.kind(SetupInference.infer(rulesets), declared).value(), selected));
    } catch (LabException e) {
      throw Failure.lab(e.getMessage());
    }
  }

  /** The lab's measurements of the rules {@code loaded}, whose audit found {@code findings}. */
  static ProbeReport run(List<RulesetLoader.Loaded> loaded, List<Finding> findings, Sysctl sysctl, LabPlanner.Declared declared,
      Set<Scenario> selected, Consumer<String> progress) throws LabException {
    List<Ruleset> rulesets = loaded.stream().map(l -> l.result().ruleset()).toList();
    Optional<RulesetLoader.Loaded> v4 = loaded.stream().filter(l -> l.family() == Family.IPV4).findFirst();
    Optional<RulesetLoader.Loaded> v6 = loaded.stream().filter(l -> l.family() == Family.IPV6).findFirst();
    List<LeakProber.WitnessRef> witnesses = new ArrayList<>();
    List<LeakProber.WitnessRef> forwardWitnesses = new ArrayList<>();
    for (Finding f : findings) {
      // the lab sends new connections without a mark; an open connection's or a marked packet's witness is not a probe
      f.witness().filter(Witness::replayable)
          .ifPresent(w -> witnesses.add(new LeakProber.WitnessRef(f.id(), f.category().jsonName(), w)));
      // a forwarded packet's witness is the LAN host's to send
      f.witness().filter(w -> !w.iif().isEmpty())
          .ifPresent(w -> forwardWitnesses.add(new LeakProber.WitnessRef(f.id(), f.category().jsonName(), w)));
    }
    // the interfaces forwarded packets leave through are the client's too; the LAN's are those they only come in on
    // (or leave back through, as a bridge does)
    Set<String> lanSides = new HashSet<>();
    forwardWitnesses.forEach(w -> lanSides.add(w.witness().iif()));
    forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).filter(w -> !w.oif().equals(w.iif())).forEach(w -> lanSides.remove(w.oif()));
    List<Witness> interfaces = new ArrayList<>(witnesses.stream().map(LeakProber.WitnessRef::witness).toList());
    forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).forEach(interfaces::add);
    interfaces.removeIf(w -> lanSides.contains(w.oif()));
    LabPlan plan = LabPlanner.plan(rulesets, declared, interfaces);
    Optional<ForwardingPlan> forwarding = ForwardingPlanner.plan(rulesets,
        forwardWitnesses.stream().map(LeakProber.WitnessRef::witness).toList(), plan);
    return LeakProber.run(plan, forwarding, v4.map(l -> l.input().text()), v6.map(l -> l.input().text()), sysctl, witnesses,
        forwardWitnesses, selected, new EnginePredictor(v4.map(l -> l.input()), v6.map(l -> l.input())), progress);
  }

  /** A trace line's packet (PROTO DST DPORT OIF [IIF]) with its address in canonical form, as the lab writes addresses. */
  private static String key(List<String> fields) {
    List<String> k = new ArrayList<>(fields);
    k.set(1, LabAddress.canonical(k.get(1)));
    return String.join(" ", k);
  }

  /** The engine's verdicts and traces for the lab's packets. */
  private record EnginePredictor(Optional<InputFile> v4, Optional<InputFile> v6) implements Predictor {
    @Override
    public Map<Probe, String> verdicts(List<Probe> packets) throws LabException {
      Map<Probe, String> out = new HashMap<>();
      predict(v4, v6, packets).forEach((p, line) -> out.put(p, line.split("\\s+", 2)[0]));
      return out;
    }

    @Override
    public Map<Probe, String> traces(List<Probe> packets) throws LabException {
      return predict(v4, v6, packets);
    }
  }

  /**
   * The engine's verdicts, each with its trace ({@code VERDICT # FILE:LINE ...}), through the
   * batch trace contract ({@code ksaudit trace RULES --probes FILE}), run in-process, once per
   * source address (forwarded packets from a LAN host carry theirs as {@code --src}). A family
   * without a ruleset has no rules in the lab either: the
   * kernel accepts everything, and so does the prediction.
   */
  static Map<Probe, String> predict(Optional<InputFile> v4, Optional<InputFile> v6, List<Probe> packets) throws LabException {
    Map<Probe, String> out = new HashMap<>();
    Map<Optional<String>, List<Probe>> bySource = new LinkedHashMap<>();
    for (Probe p : packets) {
      boolean has = p.family() == Family.IPV4 ? v4.isPresent() : v6.isPresent();
      if (has) bySource.computeIfAbsent(p.src(), s -> new ArrayList<>()).add(p);
      else out.put(p, "ACCEPT # no ruleset of this family: the kernel's empty tables accept it");
    }
    for (Map.Entry<Optional<String>, List<Probe>> e : bySource.entrySet()) out.putAll(trace(v4, v6, e.getValue(), e.getKey()));
    return out;
  }

  private static Map<Probe, String> trace(Optional<InputFile> v4, Optional<InputFile> v6, List<Probe> asked, Optional<String> src)
      throws LabException {
    // a scratch directory of the lab's kind: removed on every exit, and by probe --cleanup after a SIGKILL
    try (ScratchDir scratch = ScratchDir.create()) {
      Path dir = scratch.path();
      List<String> args = new ArrayList<>(List.of("trace"));
      if (v4.isPresent()) args.add(Files.writeString(dir.resolve("rules.v4"), v4.get().text()).toString());
      if (v6.isPresent()) args.add(Files.writeString(dir.resolve("rules.v6"), v6.get().text()).toString());
      StringBuilder lines = new StringBuilder();
      for (Probe p : asked) lines.append(p.traceLine()).append('\n');
      args.addAll(List.of("--probes", Files.writeString(dir.resolve("probes"), lines).toString()));
      src.ifPresent(a -> args.addAll(List.of("--src", a)));
      ByteArrayOutputStream o = new ByteArrayOutputStream();
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      int code = Main.run(args.toArray(String[]::new), new ByteArrayInputStream(new byte[0]),
          new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
      Map<String, String> byLine = new HashMap<>();
      String traced = o.toString(StandardCharsets.UTF_8);
      // the trace names the scratch copies; the report names the user's files
      if (v4.isPresent()) traced = traced.replace(dir.resolve("rules.v4").toString(), v4.get().name());
      if (v6.isPresent()) traced = traced.replace(dir.resolve("rules.v6").toString(), v6.get().name());
      for (String line : traced.split("\n")) {
        int hash = line.indexOf('#');
        String comment = hash >= 0 ? " " + line.substring(hash).strip() : "";
        List<String> f = List.of((hash >= 0 ? line.substring(0, hash) : line).strip().split("\\s+"));
        // the verdict follows the packet: after OIF, or after IIF for a forwarded packet
        for (int at = 4; at <= 5 && at < f.size(); at++) {
          if (!f.get(at).matches("ACCEPT|DROP|REJECT")) continue;
          try {
            byLine.put(key(f.subList(0, at)), f.get(at) + comment);
          } catch (IllegalArgumentException ex) {
            // not a verdict line of ours (a header or a comment): nothing to read
          }
          break;
        }
      }
      if (byLine.isEmpty()) {
        String why = e.toString(StandardCharsets.UTF_8).strip();
        throw new LabException("the engine's trace gave no verdicts (exit " + code + ")" + (why.isEmpty() ? "" : ": " + why.lines().findFirst().orElse("")));
      }
      Map<Probe, String> out = new HashMap<>();
      for (Probe p : asked) {
        String v = byLine.get(key(List.of(p.traceLine().split(" "))));
        if (v != null) out.put(p, v);
      }
      return out;
    } catch (IOException ex) {
      throw new LabException("cannot write the trace input: " + ex.getMessage());
    }
  }
}
