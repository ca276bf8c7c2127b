package org.ksaudit.history;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.ksaudit.check.AuditOptions;
import org.ksaudit.check.Difference;
import org.ksaudit.check.Location;
import org.ksaudit.check.RulesetDiff;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.input.InputFile;
import org.ksaudit.input.RulesetLoader;
import org.ksaudit.parse.ParseResult;
import org.ksaudit.report.ChangeItem;
import org.ksaudit.report.ChangeKind;
import org.ksaudit.report.Sources;

/**
 * The rules changed since the previous run, as {@code ksaudit diff} sees them: one change per
 * class of packets the rules now let out that they stopped, or now stop that they let out, at the
 * rule that lets them out. A change of text that changes nothing (a reordering, a rewrite) is no
 * change. The earlier run's rules are the copies in its folder.
 */
public final class RuleChanges {
  private RuleChanges() {}

  /** The changes; none when either run's rules do not load (nothing to compare what they do). */
  public static List<ChangeItem> between(RunRecord previous, List<RulesetLoader.Loaded> now, AuditOptions options) throws HistoryException {
    List<RulesetLoader.Loaded> before = new ArrayList<>();
    for (RecordedRules r : previous.rules()) {
      Path copy = previous.folder().path().resolve(r.file());
      try {
        // read as any ruleset is: within the input limits, text only
        before.add(RulesetLoader.parse(InputFile.read(copy.toString(), InputStream.nullInputStream()), r.family()));
      } catch (InputFile.InputException e) {
        throw new HistoryException("cannot read the rules of that run: " + e.getMessage());
      }
    }
    if (refused(before) || refused(now)) return List.of();
    List<Difference> differences = RulesetDiff.compareLoaded(results(before), results(now), options).differences();
    Sources sources = new Sources();
    for (RulesetLoader.Loaded l : before) sources.add(l.input().name(), l.input().text());
    for (RulesetLoader.Loaded l : now) sources.add(l.input().name(), l.input().text());
    List<ChangeItem> out = new ArrayList<>();
    for (Difference d : differences) out.add(item(d, sources));
    return out;
  }

  private static ChangeItem item(Difference d, Sources sources) {
    String where = d.location().map(l -> l.pos().toString()).orElse(d.file());
    String rule = d.location().map(l -> rule(l, sources)).orElse("no such chain: the kernel's default accepts");
    String witness = d.witness().map(w -> ", e.g. " + w.describe()).orElse("");
    String backend = d.backend().isEmpty() ? "" : " (as " + d.backend() + " loads the files)";
    String text = "rules changed: " + where + ": " + (d.letOut() ? "newly let out" : "newly stopped") + ": " + d.family().label()
        + ", " + d.scenario().label() + witness + ", by '" + rule + "'" + backend + " [" + d.certainty().label() + "]";
    Optional<Location> at = d.location();
    return new ChangeItem(ChangeKind.RULE_CHANGED, text, Optional.of(at.map(l -> l.pos().file()).orElse(d.file())),
        at.map(l -> OptionalInt.of(l.pos().line())).orElse(OptionalInt.empty()));
  }

  private static String rule(Location l, Sources sources) {
    return (l.sourceLine().isEmpty() ? sources.line(l.pos().file(), l.pos().line()) : l.sourceLine()).strip();
  }

  private static boolean refused(List<RulesetLoader.Loaded> loaded) {
    return loaded.stream().anyMatch(l -> l.result().diagnostics().stream().anyMatch(d -> d.severity() == Severity.ERROR));
  }

  private static List<ParseResult> results(List<RulesetLoader.Loaded> loaded) {
    return loaded.stream().map(RulesetLoader.Loaded::result).toList();
  }
}
