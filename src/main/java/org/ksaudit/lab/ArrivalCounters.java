package org.ksaudit.lab;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the packet counters of commented rules from {@code iptables-save -c} output: one
 * counting rule per probe, named by its comment, so a probe counts only its own packets.
 */
final class ArrivalCounters {
  private ArrivalCounters() {}

  private static final Pattern LINE = Pattern.compile("^\\[(\\d+):(\\d+)\\] -A .*--comment (\"[^\"]*\"|\\S+)");

  /** comment -> packets counted, for every commented rule in the dump. */
  static Map<String, Long> parse(String saveOutput) {
    Map<String, Long> counts = new HashMap<>();
    for (String line : saveOutput.split("\n")) {
      Matcher m = LINE.matcher(line);
      if (!m.find()) continue;
      String comment = m.group(3);
      if (comment.startsWith("\"")) comment = comment.substring(1, comment.length() - 1);
      counts.merge(comment, Long.parseLong(m.group(1)), Long::sum);
    }
    return counts;
  }
}
