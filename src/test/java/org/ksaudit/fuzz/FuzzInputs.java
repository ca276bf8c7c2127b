package org.ksaudit.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.ksaudit.model.Family;
import org.ksaudit.oracle.Mutator;

/**
 * The inputs of a run, each made from the run's seed and its index alone (so any one can be
 * made again): 45% generated killswitches, 25% near-valid variants (word-level edits of a
 * generated killswitch or of a testdata file), 30% byte-level mutations of testdata files. The
 * kernel judges a quota of them, 90% generated and 10% near-valid, spread evenly over the run.
 */
final class FuzzInputs {
  private final long seed;
  private final int count;
  private final int judgedQuota;
  private final List<Path> testdata;
  private final List<byte[]> testdataBytes;

  FuzzInputs(long seed, int count, int judgedQuota) {
    this.seed = seed;
    this.count = count;
    this.judgedQuota = judgedQuota;
    this.testdata = testdataFiles();
    this.testdataBytes = testdata.stream().map(FuzzInputs::read).toList();
  }

  /** Every .v4 and .v6 file under testdata/ (fuzz finds included, so their neighbourhoods are searched too). */
  static List<Path> testdataFiles() {
    try (Stream<Path> s = Files.walk(Path.of("testdata"))) {
      return s.filter(Files::isRegularFile).filter(p -> p.toString().endsWith(".v4") || p.toString().endsWith(".v6")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Random random(int index, int salt) {
    return new Random(seed * 1_000_003L + index * 31L + salt);
  }

  FuzzInput.Kind kind(int index) {
    int k = Math.floorMod(index * 7, 20);
    return k < 9 ? FuzzInput.Kind.GENERATED : k < 14 ? FuzzInput.Kind.NEAR_VALID : FuzzInput.Kind.BYTES;
  }

  /**
   * Whether the kernel judges this input: generated ones make 90% of the quota, near-valid ones
   * the rest, each spread evenly over the run.
   */
  boolean judged(int index) {
    FuzzInput.Kind kind = kind(index);
    if (kind == FuzzInput.Kind.BYTES) return false;
    int quota = kind == FuzzInput.Kind.GENERATED ? judgedQuota * 9 / 10 : judgedQuota - judgedQuota * 9 / 10;
    int ordinal = ordinal(index, kind);
    int of = ordinal(count, kind);
    if (quota <= 0) return false;
    int step = Math.max(1, of / quota);
    return ordinal % step == 0 && ordinal / step < quota;
  }

  /** How many inputs of the kind come before the index. */
  private int ordinal(int index, FuzzInput.Kind kind) {
    int block = index / 20;
    int perBlock = 0;
    int before = 0;
    for (int i = 0; i < 20; i++) {
      if (kind(i) != kind) continue;
      perBlock++;
      if (block * 20 + i < index) before++;
    }
    return block * perBlock + before;
  }

  FuzzInput make(int index) {
    FuzzInput.Kind kind = kind(index);
    Random rnd = random(index, 1);
    KillswitchGenerator.Generated g = new KillswitchGenerator(seed * 1_000_003L + index).next();
    boolean judged = judged(index);
    List<String> options = new ArrayList<>(g.options());
    if (judged) {
      options.removeAll(List.of("--format", "json"));
      options.addAll(List.of("--format", "json"));
    }
    switch (kind) {
      case GENERATED -> {
        return new FuzzInput(index, kind, "generated killswitch", files(g.v4(), g.v6()), options, judged);
      }
      case NEAR_VALID -> {
        // a judged one is always a variant of a generated pair: the kernel judges pairs with an IPv4 file
        boolean fromGenerated = rnd.nextInt(3) > 0 || judged;
        String base;
        String origin;
        Family fam;
        if (fromGenerated) {
          fam = g.v6().isPresent() && rnd.nextBoolean() ? Family.IPV6 : Family.IPV4;
          base = (fam == Family.IPV4 ? g.v4() : g.v6()).orElseThrow();
          origin = "generated killswitch";
        } else {
          int t = rnd.nextInt(testdata.size());
          base = new String(testdataBytes.get(t), StandardCharsets.UTF_8);
          fam = testdata.get(t).toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
          origin = testdata.get(t).toString();
          options = judged ? new ArrayList<>(List.of("--format", "json")) : new ArrayList<>();
        }
        Mutator m = new Mutator(rnd.nextLong());
        String text = base;
        StringBuilder what = new StringBuilder();
        for (int i = 0, n = 1 + (rnd.nextInt(3) == 0 ? rnd.nextInt(3) : 0); i < n; i++) {
          List<Mutator.Mutant> ms = m.mutants(origin, text, 1);
          if (ms.isEmpty()) break;
          text = ms.get(0).text();
          what.append(' ').append(ms.get(0).kind()).append(" at line ").append(ms.get(0).line());
        }
        Optional<String> v4 = fam == Family.IPV4 ? Optional.of(text) : fromGenerated ? g.v4() : Optional.empty();
        Optional<String> v6 = fam == Family.IPV6 ? Optional.of(text) : fromGenerated ? g.v6() : Optional.empty();
        return new FuzzInput(index, kind, origin + " (" + fam.label() + ":" + what + ")", files(v4, v6), options, judged);
      }
      default -> {
        int t = rnd.nextInt(testdata.size());
        ByteMutator.Mutated mu = new ByteMutator(rnd.nextLong()).mutate(testdataBytes.get(t), testdataBytes.get(rnd.nextInt(testdata.size())));
        Family byName = testdata.get(t).toString().endsWith(".v6") ? Family.IPV6 : Family.IPV4;
        Optional<Family> given = rnd.nextInt(4) == 0 ? Optional.empty() : Optional.of(byName);
        List<String> opts = rnd.nextInt(4) == 0 ? List.of("--format", "json") : List.of();
        return new FuzzInput(index, kind, testdata.get(t) + " " + mu.what(), List.of(new FuzzInput.File(given, byName, mu.bytes())), opts, false);
      }
    }
  }

  private static List<FuzzInput.File> files(Optional<String> v4, Optional<String> v6) {
    List<FuzzInput.File> out = new ArrayList<>();
    v4.ifPresent(t -> out.add(new FuzzInput.File(Optional.of(Family.IPV4), Family.IPV4, t.getBytes(StandardCharsets.UTF_8))));
    v6.ifPresent(t -> out.add(new FuzzInput.File(Optional.of(Family.IPV6), Family.IPV6, t.getBytes(StandardCharsets.UTF_8))));
    return out;
  }
}
