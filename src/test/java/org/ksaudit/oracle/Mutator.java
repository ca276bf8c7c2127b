package org.ksaudit.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Deterministic mutants of a ruleset, the kinds of damage hands and tools do to a restore file:
 * one edit per mutant, on one line, chosen by a seeded random generator so every run judges
 * the same files. Words are split at blanks, as iptables splits a line; the rest of the file is
 * kept byte for byte.
 */
public final class Mutator {
  /** One kind of damage. */
  public enum Kind {
    DELETE_WORD,
    DUPLICATE_WORD,
    SWAP_WORDS,
    MISSPELL_OPTION,
    CORRUPT_VALUE,
    MOVE_NEGATION,
    TRUNCATE_LINE,
    DELETE_LINE,
    DUPLICATE_LINE
  }

  /** A mutant: the source name, what was done, and the mutated text. */
  public record Mutant(String source, Kind kind, int line, String text) {
    public String name() {
      return source + " [" + kind + " at line " + line + "]";
    }
  }

  private final Random random;

  public Mutator(long seed) {
    random = new Random(seed);
  }

  /** {@code count} mutants of {@code text}; a mutation that changes nothing is retried. */
  public List<Mutant> mutants(String source, String text, int count) {
    String[] lines = text.split("\n", -1);
    List<Integer> candidates = new ArrayList<>();
    for (int k = 0; k < lines.length; k++) if (!lines[k].isBlank()) candidates.add(k);
    List<Mutant> out = new ArrayList<>();
    if (candidates.isEmpty()) return out;
    for (int attempts = 0; out.size() < count && attempts < count * 20; attempts++) {
      int at = candidates.get(random.nextInt(candidates.size()));
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      String[] copy = Arrays.copyOf(lines, lines.length);
      String mutated = mutateLine(kind, lines[at]);
      String result;
      if (kind == Kind.DELETE_LINE) {
        result = join(copy, at, null);
      } else if (kind == Kind.DUPLICATE_LINE) {
        result = join(copy, at, lines[at] + "\n" + lines[at]);
      } else {
        if (mutated == null || mutated.equals(lines[at])) continue;
        result = join(copy, at, mutated);
      }
      out.add(new Mutant(source, kind, at + 1, result));
    }
    return out;
  }

  private static String join(String[] lines, int at, String replacement) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < lines.length; k++) {
      if (k == at) {
        if (replacement == null) continue;
        sb.append(replacement);
      } else {
        sb.append(lines[k]);
      }
      if (k < lines.length - 1) sb.append('\n');
    }
    return sb.toString();
  }

  private String mutateLine(Kind kind, String line) {
    List<String> words = new ArrayList<>(Arrays.asList(line.trim().split("[ \t]+")));
    String lead = line.substring(0, line.length() - line.stripLeading().length());
    switch (kind) {
      case DELETE_WORD -> {
        if (words.size() < 2) return null;
        words.remove(random.nextInt(words.size()));
      }
      case DUPLICATE_WORD -> {
        int k = random.nextInt(words.size());
        words.add(k, words.get(k));
      }
      case SWAP_WORDS -> {
        if (words.size() < 2) return null;
        int k = random.nextInt(words.size() - 1);
        String w = words.get(k);
        words.set(k, words.get(k + 1));
        words.set(k + 1, w);
      }
      case MISSPELL_OPTION -> {
        List<Integer> opts = indexes(words, true);
        if (opts.isEmpty()) return null;
        int k = opts.get(random.nextInt(opts.size()));
        words.set(k, misspell(words.get(k)));
      }
      case CORRUPT_VALUE -> {
        List<Integer> vals = indexes(words, false);
        if (vals.isEmpty()) return null;
        int k = vals.get(random.nextInt(vals.size()));
        words.set(k, corrupt(words.get(k)));
      }
      case MOVE_NEGATION -> {
        int bang = words.indexOf("!");
        if (bang >= 0) words.remove(bang);
        if (bang < 0 || random.nextInt(4) > 0) words.add(random.nextInt(words.size() + 1), "!");
      }
      case TRUNCATE_LINE -> {
        String t = line.stripTrailing();
        if (t.length() < 2) return null;
        return t.substring(0, 1 + random.nextInt(t.length() - 1));
      }
      default -> {
        return null;
      }
    }
    return lead + String.join(" ", words);
  }

  private static List<Integer> indexes(List<String> words, boolean options) {
    List<Integer> out = new ArrayList<>();
    for (int k = 0; k < words.size(); k++) {
      String w = words.get(k);
      boolean isOption = w.startsWith("-") && w.length() > 1 && !Character.isDigit(w.charAt(1));
      if (isOption == options && !w.equals("!")) out.add(k);
    }
    return out;
  }

  private String misspell(String w) {
    int body = w.startsWith("--") ? 2 : 1;
    if (w.length() <= body) return w + "x";
    int k = body + random.nextInt(w.length() - body);
    return switch (random.nextInt(5)) {
      case 0 -> w.substring(0, k) + w.substring(k + 1);
      case 1 -> w.substring(0, k) + (char) ('a' + random.nextInt(26)) + w.substring(k);
      case 2 -> k + 1 < w.length() ? w.substring(0, k) + w.charAt(k + 1) + w.charAt(k) + w.substring(k + 2) : w + "s";
      case 3 -> w.startsWith("--") ? w.substring(1) : "-" + w;
      default -> w.toUpperCase().equals(w) ? w.toLowerCase() : w.toUpperCase();
    };
  }

  private static final String[] ODD_VALUES = {
    "256.1.1.1", "10.0.0.0/33", "65536", "0", "-1", "1:0", "::1", "fe80::/10", "XX:XX:XX:XX:XX:XX", "tun0+", "",
    "eth0.100", "0x10/0xff", "INVALID,NEW", "foo", "99999999999", "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "\"a b\"",
    "accept", "REJECT", "1.2.3.4-1.2.3.1", "icmp-foo", "tcp-reset", "a-very-long-interface-name", "22:80", "ssh",
    "ACCEPT\r", "1/0"
  };

  private String corrupt(String w) {
    if (random.nextInt(3) == 0) return ODD_VALUES[random.nextInt(ODD_VALUES.length)];
    if (w.isEmpty()) return "x";
    int k = random.nextInt(w.length());
    char c = w.charAt(k);
    return switch (random.nextInt(6)) {
      case 0 -> w.substring(0, k) + w.substring(k + 1);
      case 1 -> w.substring(0, k) + (Character.isDigit(c) ? "9" : "x") + w.substring(k + 1);
      case 2 -> w + (random.nextBoolean() ? "0" : ",");
      case 3 -> w.substring(0, k) + "9" + w.substring(k);
      case 4 -> w.replace('.', ':');
      default -> w.toLowerCase().equals(w) ? w.toUpperCase() : w.toLowerCase();
    };
  }
}
