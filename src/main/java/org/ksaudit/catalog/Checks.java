package org.ksaudit.catalog;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reusable cross-option checks that mirror libxtables' final checks and the kernel's load-time rules. */
final class Checks {
  private Checks() {}

  /** The kernel's rule for protocol matches: -p names one of {@code numbers}, not negated. */
  static CrossCheck needsProtocol(String module, String wanted, Integer... numbers) {
    List<Integer> ok = List.of(numbers);
    return r -> {
      if (r.protocol().isPresent() && ok.contains(r.protocol().get()) && !r.protocolNegated()) return Optional.empty();
      return Optional.of(new BadValue("match \"" + module + "\" needs \"-p " + wanted + "\"",
          r.protocolNegated() ? "the kernel refuses it with a negated protocol" : "add \"-p " + wanted + "\" to the rule"));
    };
  }

  /** XTOPT_MAND: the option must be given. */
  static CrossCheck mandatory(String module, String option) {
    return r -> r.has(option) ? Optional.empty()
        : Optional.of(new BadValue(module + ": option \"" + option + "\" must be specified"));
  }

  /** At least one of the named options must be given. */
  static CrossCheck needsOneOf(String module, String... options) {
    return r -> {
      for (String o : options) if (r.has(o)) return Optional.empty();
      return Optional.of(new BadValue(module + ": needs one of " + String.join(", ", options)));
    };
  }

  /** Options that exclude each other. */
  static CrossCheck exclusive(String module, String... options) {
    return r -> {
      List<String> given = Arrays.stream(options).filter(r::has).toList();
      return given.size() > 1
          ? Optional.of(new BadValue(module + ": " + String.join(" and ", given) + " cannot be used together"))
          : Optional.empty();
    };
  }

  /** XTOPT "also": {@code option} needs {@code other}. */
  static CrossCheck requires(String module, String option, String other) {
    return r -> r.has(option) && !r.has(other)
        ? Optional.of(new BadValue(module + ": option \"" + option + "\" also requires \"" + other + "\""))
        : Optional.empty();
  }

  /** The extension is only valid in rules reached from the given built-in chains (kernel hook masks). */
  static CrossCheck onlyFromHooks(String what, String... hooks) {
    Set<String> ok = Set.of(hooks);
    return r -> {
      for (String h : r.hookChains()) {
        if (!ok.contains(h))
          return Optional.of(new BadValue(what + " is only valid in " + String.join("/", hooks) + ", not reached from " + h,
              "the kernel refuses the table"));
      }
      return Optional.empty();
    };
  }
}
