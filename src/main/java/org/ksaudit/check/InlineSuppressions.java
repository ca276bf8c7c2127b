package org.ksaudit.check;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Chain;
import org.ksaudit.model.Match;
import org.ksaudit.model.Option;
import org.ksaudit.model.Rule;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.Table;
import org.ksaudit.model.value.Text;

/**
 * KS113 and the inline suppressions it reports on. A comment
 * {@code -m comment --comment "ksaudit:ignore=KS105 reason"} on a rule suppresses the findings
 * of those IDs that point at that rule. A finding covering several rules (one allowance per
 * server) is suppressed only when every one of them carries the suppression: a rule added to
 * the group later is a new way out, not one the reason was written for. The comment is part of
 * the rule the kernel holds, so it survives {@code iptables-save} and {@code iptables-restore}.
 */
public final class InlineSuppressions {
  static final CheckInfo INFO = new CheckInfo(
      "KS113",
      Category.SUPPRESSION,
      Severity.WARNING,
      "a ksaudit:ignore comment that suppresses nothing, or no longer does",
      """
      A rule's comment "ksaudit:ignore=ID[,ID...][:until=YYYY-MM-DD] REASON" suppresses the
      findings of those IDs that point at the rule. This finding reports a suppression that
      does not do what it says: without a reason, with an ID that does not exist or a date
      that is not one, it suppresses nothing (warning); one that matches no finding at its rule,
      or covers only some of the rules of a finding, or whose date has passed, is an info.""",
      """
      A suppression hides a leak from the gate on purpose; the reason is what a reviewer reads
      to agree with it, so a suppression without one is refused. An unused suppression is
      harmless today, but it hides the next finding of that ID someone's change brings to the
      rule; an expired one lets the finding it covered fail the gate again, as intended.""",
      """
      -A OUTPUT -d 192.168.1.0/24 -m comment --comment ksaudit:ignore=KS105 -j ACCEPT""",
      """
      -A OUTPUT -d 192.168.1.0/24 -m comment --comment "ksaudit:ignore=KS105:until=2027-01-31 printer, until the move" -j ACCEPT""",
      List.of("ShellCheck: ignore directives and unused-directive reports",
          "hadolint: inline ignore pragmas and --disable-ignore-pragma"));

  private InlineSuppressions() {}

  /** The documentation of KS113, for {@code ksaudit explain} and {@code ksaudit rules}. */
  public static CheckInfo info() {
    return INFO;
  }

  /** A directive as written: in which ruleset, on which rule, in which comment option. */
  private record Written(SuppressionDirective directive, String file, Rule rule, Option comment) {}

  /**
   * The findings with those an inline suppression covers marked suppressed (on {@code today},
   * in UTC, a suppression {@code until} an earlier day no longer holds), and a KS113 finding
   * for every directive that does not suppress what it names; most severe first. {@code knownIds}
   * are the IDs a suppression may name.
   */
  public static List<Finding> apply(List<Finding> findings, List<Ruleset> rulesets, LocalDate today, Set<String> knownIds) {
    Map<SourcePos, Written> written = directives(rulesets, knownIds);
    Map<String, List<Written>> byLine = new HashMap<>();
    for (Written w : written.values()) byLine.computeIfAbsent(lineKey(w.rule().pos()), k -> new ArrayList<>()).add(w);
    Map<Written, Set<String>> used = new HashMap<>();
    Map<Written, Map<String, String>> partial = new HashMap<>();
    List<Finding> out = new ArrayList<>();
    for (Finding f : findings) {
      if (!f.reported() || f.locations().isEmpty()) {
        out.add(f);
        continue;
      }
      Map<Location, Written> cover = new LinkedHashMap<>();
      for (Location l : f.locations()) covering(byLine.get(lineKey(l.pos())), f.id(), today).ifPresent(w -> cover.put(l, w));
      if (cover.size() == f.locations().size()) {
        Written first = cover.get(f.locations().get(0));
        Optional<LocalDate> until = cover.values().stream().map(w -> ignore(w).until()).flatMap(Optional::stream).min(LocalDate::compareTo);
        out.add(f.suppressedBy(new Suppression(SuppressionKind.INLINE, ignore(first).reason(), until, first.comment().pos())));
        for (Written w : cover.values()) used.computeIfAbsent(w, k -> new LinkedHashSet<>()).add(f.id());
      } else {
        out.add(f);
        String lines = f.locations().stream().filter(l -> !cover.containsKey(l)).map(l -> Integer.toString(l.pos().line()))
            .collect(Collectors.joining(", "));
        for (Written w : cover.values()) partial.computeIfAbsent(w, k -> new HashMap<>()).putIfAbsent(f.id(), lines);
      }
    }
    for (Written w : written.values()) out.addAll(problems(w, used.getOrDefault(w, Set.of()), partial.getOrDefault(w, Map.of()), today));
    out.sort(KillswitchAudit.ORDER);
    return out;
  }

  /** The directive on this line that suppresses findings of this ID today, if any. */
  private static Optional<Written> covering(List<Written> onLine, String id, LocalDate today) {
    if (onLine == null) return Optional.empty();
    return onLine.stream()
        .filter(w -> w.directive() instanceof SuppressionDirective.Ignore i && i.ids().contains(id) && !i.expired(today))
        .findFirst();
  }

  private static SuppressionDirective.Ignore ignore(Written w) {
    return (SuppressionDirective.Ignore) w.directive();
  }

  private static List<Finding> problems(Written w, Set<String> used, Map<String, String> partial, LocalDate today) {
    if (w.directive() instanceof SuppressionDirective.Malformed m) return List.of(finding(w, Severity.WARNING, m.why()));
    SuppressionDirective.Ignore i = ignore(w);
    if (i.expired(today))
      return List.of(finding(w, Severity.INFO, "the suppression of " + String.join(",", i.ids()) + " expired on " + i.until().get()
          + ": what it covered is reported again"));
    List<Finding> out = new ArrayList<>();
    for (String id : i.ids()) {
      if (used.contains(id)) continue;
      String lines = partial.get(id);
      String msg = lines == null ? "unused suppression: no " + id + " finding points at this rule"
          : "the suppression of " + id + " here suppresses nothing: its finding also covers "
              + (lines.contains(",") ? "lines " + lines + ", which carry" : "line " + lines + ", which carries")
              + " no such suppression; write it on every rule the finding covers";
      out.add(finding(w, Severity.INFO, msg));
    }
    return out;
  }

  private static Finding finding(Written w, Severity severity, String message) {
    SourcePos at = w.comment().pos();
    String text = w.rule().text();
    return new Finding(INFO.id(), INFO.category(), FindingKind.RULESET, severity, Certainty.DEFINITE, w.file(),
        Optional.of(new Location(at, commentSpan(text, at.column()), text)), message, Optional.empty(), List.of());
  }

  /** Every {@code ksaudit:} comment of the rulesets, once per place (both backends' rulesets hold the same rules). */
  private static Map<SourcePos, Written> directives(List<Ruleset> rulesets, Set<String> ids) {
    Map<SourcePos, Written> out = new TreeMap<>();
    for (Ruleset rs : rulesets)
      for (Table t : rs.tables())
        for (Chain c : t.chains())
          for (Rule r : c.rules())
            for (Match m : r.matches())
              for (Option o : m.options())
                if (m.module().equals("comment") && o.name().equals("--comment") && o.value() instanceof Text text)
                  SuppressionDirective.read(text.text(), ids).ifPresent(d -> out.putIfAbsent(o.pos(), new Written(d, rs.file(), r, o)));
    return out;
  }

  private static String lineKey(SourcePos p) {
    return p.line() + ":" + p.file();
  }

  /** The length of {@code --comment VALUE} from its 1-based column, a quoted value with its blanks. */
  static int commentSpan(String line, int column) {
    int i = column - 1;
    if (i < 0 || i >= line.length()) return 1;
    int end = i;
    while (end < line.length() && !Character.isWhitespace(line.charAt(end))) end++;
    while (end < line.length() && Character.isWhitespace(line.charAt(end))) end++;
    boolean quoted = false;
    for (; end < line.length(); end++) {
      char c = line.charAt(end);
      if (c == '\\' && quoted) end++;
      else if (c == '"') quoted = !quoted;
      else if (!quoted && Character.isWhitespace(c)) break;
    }
    return Math.max(1, Math.min(end, line.length()) - i);
  }
}
