package org.ksaudit.check;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code ksaudit:} directive in a rule's comment: {@code ksaudit:ignore=KS105,KS102[:until=YYYY-MM-DD] REASON}.
 * A comment is one only when it starts with {@code ksaudit:}; anything else is an ordinary
 * comment. A directive that cannot be followed (no reason, an unknown ID, a bad date) is
 * {@link Malformed}: it suppresses nothing and is itself reported.
 */
sealed interface SuppressionDirective {
  String PREFIX = "ksaudit:";
  String SHAPE = "ksaudit:ignore=ID[,ID...][:until=YYYY-MM-DD] REASON";

  /** Suppress findings of these IDs at this rule, until the end of {@code until} when given, for this reason. */
  record Ignore(List<String> ids, Optional<LocalDate> until, String reason) implements SuppressionDirective {
    public Ignore {
      ids = List.copyOf(ids);
    }

    boolean expired(LocalDate today) {
      return until.isPresent() && today.isAfter(until.get());
    }
  }

  /** A directive that suppresses nothing, and why. */
  record Malformed(String why) implements SuppressionDirective {}

  /** The directive of a comment, if the comment is one; {@code knownIds} are the IDs a suppression may name. */
  static Optional<SuppressionDirective> read(String comment, Set<String> knownIds) {
    String text = comment.strip();
    if (!text.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) return Optional.empty();
    String rest = text.substring(PREFIX.length());
    int blank = firstBlank(rest);
    String word = blank < 0 ? rest : rest.substring(0, blank);
    String reason = blank < 0 ? "" : rest.substring(blank).strip();
    return Optional.of(parse(word, reason, knownIds));
  }

  private static SuppressionDirective parse(String word, String reason, Set<String> knownIds) {
    if (!word.startsWith("ignore=")) return new Malformed("'" + PREFIX + word + "' is no directive ksaudit knows: write " + SHAPE);
    String[] parts = word.substring("ignore=".length()).split(":", -1);
    List<String> ids = new ArrayList<>();
    for (String id : parts[0].split(",", -1)) {
      String upper = id.strip().toUpperCase(Locale.ROOT);
      if (upper.isEmpty()) return new Malformed("an empty ID in '" + word + "': write " + SHAPE);
      if (!knownIds.contains(upper)) return new Malformed("no finding has the ID '" + id + "' ('ksaudit rules' lists them)");
      if (!ids.contains(upper)) ids.add(upper);
    }
    Optional<LocalDate> until = Optional.empty();
    for (int i = 1; i < parts.length; i++) {
      if (!parts[i].startsWith("until=") || until.isPresent())
        return new Malformed("'" + parts[i] + "' after the IDs: only one ':until=YYYY-MM-DD' may follow them");
      try {
        until = Optional.of(LocalDate.parse(parts[i].substring("until=".length())));
      } catch (DateTimeParseException e) {
        return new Malformed("'" + parts[i] + "' is no date: write until=YYYY-MM-DD, e.g. until=2027-01-31");
      }
    }
    if (reason.isEmpty())
      return new Malformed("the suppression of " + String.join(",", ids) + " gives no reason, so it suppresses nothing: "
          + "write why after the IDs (" + SHAPE + ")");
    return new Ignore(ids, until, reason);
  }

  private static int firstBlank(String s) {
    for (int i = 0; i < s.length(); i++) if (Character.isWhitespace(s.charAt(i))) return i;
    return -1;
  }
}
