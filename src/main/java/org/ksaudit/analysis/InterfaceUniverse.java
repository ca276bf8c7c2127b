package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ksaudit.model.value.InterfaceName;

/**
 * Interface names reduced to finitely many classes. Two names behave the same under every
 * {@code -i}/{@code -o} of the rules when the same patterns match them, so one representative
 * name per class is enough: every exact name mentioned, for each {@code +} stem a name that
 * only that stem (and its shorter stems) match, a name no pattern matches, and the empty name
 * (no interface: {@code -i} of a locally generated packet), which is class 0.
 */
public final class InterfaceUniverse {
  /** Names tried first for a class, so witnesses show the names real hosts have. */
  private static final List<String> FAMILIAR = List.of("eth0", "wlan0", "tun0", "wg0", "lo", "enp1s0", "eth1", "wlan1",
      "ens3", "tap0", "ppp0", "docker0", "br0");

  private final List<String> patterns;
  private final List<String> representatives;
  private final Map<String, Integer> bySignature;

  private InterfaceUniverse(List<String> patterns, List<String> representatives, Map<String, Integer> bySignature) {
    this.patterns = patterns;
    this.representatives = representatives;
    this.bySignature = bySignature;
  }

  /**
   * Builds the classes for the given patterns (rule values, tunnel names) and concrete names
   * (which then have themselves as representatives where they start a class).
   */
  public static InterfaceUniverse of(Collection<InterfaceName> patterns, Collection<String> names) {
    List<String> pats = new ArrayList<>(new LinkedHashSet<>(patterns.stream().map(InterfaceName::name).toList()));
    List<String> reps = new ArrayList<>();
    Map<String, Integer> sig = new HashMap<>();
    List<String> candidates = new ArrayList<>();
    candidates.add("");
    candidates.addAll(names);
    candidates.addAll(FAMILIAR);
    for (String p : pats) if (!p.endsWith("+")) candidates.add(p);
    for (String p : pats) {
      if (!p.endsWith("+")) continue;
      String stem = p.substring(0, p.length() - 1);
      for (String suffix : List.of("0", "1", "9", "x", "_0", "q9", "z7", "-1", ".5")) candidates.add(stem + suffix);
    }
    for (String f : List.of("eth0", "x0", "q9", "z_1", "ksa0", "Q", "9", "_", "-", ".")) candidates.add(f);
    InterfaceUniverse probe = new InterfaceUniverse(pats, reps, sig);
    for (String c : candidates) {
      if (c.length() > 15) continue;
      String s = probe.signature(c);
      if (!sig.containsKey(s)) {
        sig.put(s, reps.size());
        reps.add(c);
      }
    }
    return new InterfaceUniverse(List.copyOf(pats), List.copyOf(reps), Map.copyOf(sig));
  }

  private String signature(String name) {
    // "no interface" is a class of its own even where no pattern tells it from a real name
    StringBuilder sb = new StringBuilder(patterns.size() + 1).append(name.isEmpty() ? 'E' : 'N');
    for (String p : patterns) sb.append(new InterfaceName(p).matches(name) ? '1' : '0');
    return sb.toString();
  }

  public int size() {
    return representatives.size();
  }

  public String representative(int cls) {
    return representatives.get(cls);
  }

  public List<String> representatives() {
    return representatives;
  }

  /**
   * The class of a concrete name. A name whose signature no representative has cannot exist:
   * the construction covers every signature a name can have.
   */
  public int classOf(String name) {
    Integer c = bySignature.get(signature(name));
    if (c == null) throw new IllegalStateException("interface universe misses the class of '" + name + "'");
    return c;
  }

  /** The classes whose names the pattern matches. */
  public Set<Integer> matching(InterfaceName pattern) {
    if (!patterns.contains(pattern.name()))
      throw new IllegalArgumentException("pattern '" + pattern.name() + "' was not given when the universe was built");
    Set<Integer> out = new LinkedHashSet<>();
    for (int i = 0; i < representatives.size(); i++) if (pattern.matches(representatives.get(i))) out.add(i);
    return out;
  }
}
