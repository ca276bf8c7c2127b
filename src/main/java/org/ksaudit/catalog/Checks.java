package org.ksaudit.catalog;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/** Reusable cross-option checks that mirror the kernel's and libxtables' load-time rules. */
final class Checks {
  private Checks() {}

  /** The match only works when -p names one of {@code protos} (not negated). */
  static CrossCheck needsProtocol(String module, String... protos) {
    Set<String> ok = Set.of(protos);
    return r -> {
      if (r.protocol().isPresent() && ok.contains(r.protocol().get()) && !r.protocolNegated()) return Optional.empty();
      String want = String.join("|", protos);
      return Optional.of(new BadValue(
          "match \"" + module + "\" needs \"-p " + want + "\"", "add \"-p " + protos[0] + "\" before \"-m " + module + "\""));
    };
  }

  /** At least one of the named options must be given. */
  static CrossCheck needsOneOf(String module, String... options) {
    return r -> {
      for (String o : options) if (r.optionsGiven().contains(o)) return Optional.empty();
      return Optional.of(new BadValue(
          module + ": needs one of " + String.join(", ", options), null));
    };
  }

  /** Options that exclude each other. */
  static CrossCheck exclusive(String module, String... options) {
    return r -> {
      long n = Arrays.stream(options).filter(r.optionsGiven()::contains).count();
      return n > 1
          ? Optional.of(new BadValue(module + ": " + String.join(", ", options) + " cannot be combined", null))
          : Optional.empty();
    };
  }

  /** The extension is only valid in rules reachable from the given built-in chains. */
  static CrossCheck onlyFromHooks(String what, String... hooks) {
    Set<String> ok = Set.of(hooks);
    return r -> {
      for (String h : r.hookChains()) {
        if (!ok.contains(h))
          return Optional.of(new BadValue(
              what + " is only valid in " + String.join("/", hooks) + ", not from " + h, null));
      }
      return Optional.empty();
    };
  }
}
