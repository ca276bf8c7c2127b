package org.ksaudit.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.ksaudit.diagnostic.Severity;
import org.ksaudit.model.Family;
import org.ksaudit.model.Ruleset;
import org.ksaudit.model.SourcePos;
import org.ksaudit.parse.RulesetParser;

/** The rules of inline suppressions on hand-made findings: the day an expiry ends, and findings over several rules. */
class InlineSuppressionsTest {
  private static final String RULES = """
      *filter
      :OUTPUT DROP [0:0]
      -A OUTPUT -d 192.168.1.0/24 -m comment --comment "ksaudit:ignore=KS105:until=2027-01-31 printers" -j ACCEPT
      -A OUTPUT -d 192.168.2.0/24 -j ACCEPT
      COMMIT
      """;
  private static final Set<String> IDS = Set.of("KS102", "KS105");
  private static final Ruleset RULESET = RulesetParser.parse("r.v4", RULES, Family.IPV4).ruleset();

  private static Location at(int line) {
    return new Location(new SourcePos("r.v4", line, 11), 1, RULES.lines().toList().get(line - 1));
  }

  private static Finding lan(Location... where) {
    return new Finding("KS105", Category.LAN_EXEMPTION, FindingKind.NEW_CONNECTION, Severity.ERROR, Certainty.DEFINITE, "r.v4",
        Optional.of(where[0]), "LAN", Optional.of(new Witness(Family.IPV4, "tcp", "192.168.1.1", 443, "eth0")), List.of(),
        List.of(where), List.of());
  }

  @Test
  void aSuppressionHoldsThroughItsLastDayAndNotAfter() {
    List<Finding> onTheDay = InlineSuppressions.apply(List.of(lan(at(3))), List.of(RULESET), LocalDate.of(2027, 1, 31), IDS);
    assertEquals(1, onTheDay.size(), onTheDay.toString());
    Suppression s = onTheDay.get(0).suppressed().orElseThrow();
    assertEquals(new Suppression(SuppressionKind.INLINE, "printers", Optional.of(LocalDate.of(2027, 1, 31)), new SourcePos("r.v4", 3, 40)), s);
    List<Finding> after = InlineSuppressions.apply(List.of(lan(at(3))), List.of(RULESET), LocalDate.of(2027, 2, 1), IDS);
    assertTrue(after.stream().anyMatch(f -> f.id().equals("KS105") && f.reported()), after.toString());
    assertTrue(after.stream().anyMatch(f -> f.id().equals("KS113") && f.severity() == Severity.INFO
        && f.message().contains("expired on 2027-01-31")), after.toString());
  }

  @Test
  void aFindingOverSeveralRulesNeedsTheSuppressionOnEach() {
    List<Finding> out = InlineSuppressions.apply(List.of(lan(at(3), at(4))), List.of(RULESET), LocalDate.of(2026, 1, 1), IDS);
    Finding lan = out.stream().filter(f -> f.id().equals("KS105")).findFirst().orElseThrow();
    assertTrue(lan.reported(), out.toString());
    Finding note = out.stream().filter(f -> f.id().equals("KS113")).findFirst().orElseThrow();
    assertEquals(Severity.INFO, note.severity());
    assertEquals(3, note.line().orElseThrow());
    assertTrue(note.message().contains("its finding also covers line 4, which carries no such suppression"), note.message());
  }

  @Test
  void directivesAreReadFromCommentsThatStartWithKsaudit() {
    assertEquals(Optional.empty(), SuppressionDirective.read("allow the printer", IDS));
    assertEquals(Optional.of(new SuppressionDirective.Ignore(List.of("KS105", "KS102"), Optional.of(LocalDate.of(2027, 1, 31)),
        "printer on the LAN")), SuppressionDirective.read("ksaudit:ignore=ks105,KS102:until=2027-01-31  printer on the LAN", IDS));
    for (String bad : List.of("ksaudit:ignore=KS105", "ksaudit:ignore=KS105:until=2027-13-01 why", "ksaudit:ignore=KS106 why",
        "ksaudit:ignore=KS105,,KS102 why", "ksaudit:ignore=KS105:until=2027-01-31:until=2028-01-31 why", "ksaudit:disable=KS105 why"))
      assertFalse(SuppressionDirective.read(bad, IDS).orElseThrow() instanceof SuppressionDirective.Ignore, bad);
  }
}
