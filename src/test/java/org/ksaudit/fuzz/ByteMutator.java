package org.ksaudit.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Byte-level damage to a file, the kind a disk, a transfer or a hostile sender does: flipped
 * bits, bytes inserted, deleted or overwritten (printable, high, invalid UTF-8, tab, CR, ESC),
 * a block repeated, cut out or moved, two files spliced, the file cut short, line ends
 * rewritten, one long line.
 * The NUL byte is among the odd bytes: iptables-restore ends a line at NUL, and ksaudit must
 * read it the same way.
 */
final class ByteMutator {
  private final Random rnd;

  ByteMutator(long seed) {
    rnd = new Random(seed);
  }

  /** What was done, for the failure message, and the bytes. */
  record Mutated(String what, byte[] bytes) {}

  private static final byte[] ODD = {0, '\t', '\r', '\n', 0x1b, 0x07, (byte) 0xff, (byte) 0xc3, (byte) 0x80, (byte) 0xe2, '!', '-', '*', ':', '"', '\'', '\\', ' '};

  Mutated mutate(byte[] in, byte[] other) {
    int edits = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(8) : 0);
    byte[] b = in;
    StringBuilder what = new StringBuilder();
    for (int i = 0; i < edits; i++) {
      int kind = rnd.nextInt(11);
      b = apply(kind, b, other);
      what.append(i == 0 ? "" : "+").append(NAMES[kind]);
    }
    return new Mutated(what.toString(), b);
  }

  private static final String[] NAMES = {"flip-bit", "insert-byte", "delete-byte", "overwrite-byte", "repeat-block", "cut-block",
      "move-block", "splice", "truncate", "crlf", "long-line"};

  private byte[] apply(int kind, byte[] b, byte[] other) {
    int n = b.length;
    int at = n == 0 ? 0 : rnd.nextInt(n);
    switch (kind) {
      case 0 -> {
        if (n == 0) return b;
        byte[] c = b.clone();
        c[at] ^= (byte) (1 << rnd.nextInt(8));
        return c;
      }
      case 1 -> {
        return concat(Arrays.copyOf(b, at), new byte[] {oddOrRandom()}, Arrays.copyOfRange(b, at, n));
      }
      case 2 -> {
        if (n == 0) return b;
        return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + 1, n));
      }
      case 3 -> {
        if (n == 0) return b;
        byte[] c = b.clone();
        c[at] = oddOrRandom();
        return c;
      }
      case 4, 5, 6 -> {
        if (n < 2) return b;
        int len = 1 + rnd.nextInt(Math.min(n - at, 200));
        byte[] block = Arrays.copyOfRange(b, at, at + len);
        if (kind == 4) return concat(Arrays.copyOf(b, at + len), block, Arrays.copyOfRange(b, at, n));
        byte[] cut = concat(Arrays.copyOf(b, at), Arrays.copyOfRange(b, at + len, n));
        if (kind == 5) return cut;
        int to = cut.length == 0 ? 0 : rnd.nextInt(cut.length + 1);
        return concat(Arrays.copyOf(cut, to), block, Arrays.copyOfRange(cut, to, cut.length));
      }
      case 7 -> {
        int from = other.length == 0 ? 0 : rnd.nextInt(other.length);
        return concat(Arrays.copyOf(b, at), Arrays.copyOfRange(other, from, other.length));
      }
      case 8 -> {
        return Arrays.copyOf(b, at);
      }
      case 9 -> {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte x : b) {
          if (x == '\n') o.write('\r');
          o.write(x);
        }
        return o.toByteArray();
      }
      default -> {
        byte[] line = new byte[1000 + rnd.nextInt(20_000)];
        Arrays.fill(line, (byte) (rnd.nextBoolean() ? 'x' : ' '));
        if (rnd.nextBoolean()) System.arraycopy("-A OUTPUT ".getBytes(), 0, line, 0, 10);
        return concat(Arrays.copyOf(b, at), line, Arrays.copyOfRange(b, at, n));
      }
    }
  }

  private byte oddOrRandom() {
    if (rnd.nextBoolean()) return ODD[rnd.nextInt(ODD.length)];
    return (byte) (1 + rnd.nextInt(255));
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    for (byte[] p : parts) o.writeBytes(p);
    return o.toByteArray();
  }
}
