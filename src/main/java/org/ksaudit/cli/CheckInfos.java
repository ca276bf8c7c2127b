package org.ksaudit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.ksaudit.check.Check;
import org.ksaudit.check.CheckInfo;
import org.ksaudit.check.InlineSuppressions;
import org.ksaudit.check.KillswitchAudit;
import org.ksaudit.live.HostChecks;

/**
 * The documentation of every finding ID, in ID order: the audit's checks, then KS113, whose
 * findings are about suppressions rather than rules, then the checks only a live audit makes. The one source of {@code ksaudit rules},
 * {@code ksaudit explain}, and the IDs a suppression or a config may name.
 */
final class CheckInfos {
  private CheckInfos() {}

  static List<CheckInfo> all() {
    List<CheckInfo> out = new ArrayList<>(KillswitchAudit.checks().stream().map(Check::info).toList());
    out.add(InlineSuppressions.info());
    out.addAll(HostChecks.infos());
    return List.copyOf(out);
  }

  /** The documentation of a finding ID ({@code KS102}) or category ({@code dns-leak}). */
  static Optional<CheckInfo> find(String idOrCategory) {
    return all().stream().filter(c -> c.id().equalsIgnoreCase(idOrCategory) || c.category().jsonName().equals(idOrCategory))
        .findFirst();
  }

  static Set<String> ids() {
    return all().stream().map(CheckInfo::id).collect(Collectors.toUnmodifiableSet());
  }
}
