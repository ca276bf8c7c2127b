package org.ksaudit.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ksaudit.model.SourcePos;
import org.ksaudit.model.value.InterfaceName;

/**
 * Which interface names the audit takes as the tunnel and why, and the names it refuses to
 * take, with the reason: every report states both, since a wrong tunnel name hides every
 * leak through that interface.
 */
public record TunnelChoice(List<Taken> taken, List<Refused> refused) {
  public TunnelChoice {
    taken = List.copyOf(taken);
    refused = List.copyOf(refused);
  }

  /** Why a name is taken as the tunnel. */
  public enum Source {
    FLAG("--tunnel"),
    DEFAULT("default pattern"),
    RULES("inferred from the rules");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A name (a {@code +} pattern or an exact name) taken as the tunnel; {@code at} is the rule it was inferred from. */
  public record Taken(InterfaceName name, Source source, Optional<SourcePos> at) {}

  /** A name not taken as the tunnel although it looks like one or was given; {@code at} is the rule that shows why. */
  public record Refused(InterfaceName name, String why, Optional<SourcePos> at) {}

  /** The names taken. */
  public List<InterfaceName> patterns() {
    return taken.stream().map(Taken::name).toList();
  }

  /** The names refused: never the tunnel, even where a taken pattern covers them. */
  public List<InterfaceName> excluded() {
    return refused.stream().map(Refused::name).toList();
  }

  /** For the text report: one line for the names taken, one per name refused. */
  public List<String> describe() {
    List<String> out = new ArrayList<>();
    List<String> parts = new ArrayList<>();
    for (Taken t : taken) {
      parts.add(shown(t.name()) + " (" + t.source().label() + t.at().map(p -> " at " + p.file() + ":" + p.line()).orElse("") + ")");
    }
    out.add("tunnel: " + (parts.isEmpty() ? "none" : String.join(", ", parts)));
    for (Refused r : refused) {
      out.add("not the tunnel: " + shown(r.name()) + ": " + r.why() + r.at().map(p -> " (" + p.file() + ":" + p.line() + ")").orElse(""));
    }
    return out;
  }

  /** A pattern as users write it: {@code tun*} for iptables' {@code tun+}. */
  public static String shown(InterfaceName n) {
    return n.wildcard() ? n.stem() + "*" : n.name();
  }
}
