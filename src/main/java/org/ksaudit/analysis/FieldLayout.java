package org.ksaudit.analysis;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the fields below the few-valued ones (see {@link PacketSpace}) have their variables:
 * the leading field first (see {@link LeadingField}), then destination and its original (bit
 * by bit interleaved), its address type, port and original port (interleaved), protocol,
 * source, source port, a pool of variables for unknowns, and the rest, each field most
 * significant bit first.
 */
final class FieldLayout {
  /** The fields in their order when the destination leads; the pool comes before {@link PacketField#SRC_TYPE}. */
  private static final List<PacketField> USUAL = List.of(PacketField.DST, PacketField.DST_TYPE, PacketField.DPORT,
      PacketField.PROTO, PacketField.SRC, PacketField.SPORT, PacketField.SRC_TYPE, PacketField.ICMP_TYPE,
      PacketField.ICMP_CODE, PacketField.TCP_FLAGS, PacketField.FRAGMENT, PacketField.UID, PacketField.GID);

  /** Each field's variables, most significant bit first. */
  private final Map<PacketField, int[]> vars;
  /** The first variable of the pool of unknowns. */
  private final int pool;
  /** The variable after the last. */
  private final int end;

  private FieldLayout(Map<PacketField, int[]> vars, int pool, int end) {
    this.vars = vars;
    this.pool = pool;
    this.end = end;
  }

  /** A field's variables, most significant bit first. */
  int[] vars(PacketField f) {
    return vars.get(f).clone();
  }

  int pool() {
    return pool;
  }

  int end() {
    return end;
  }

  /** The layout with {@code leading} first, from variable {@code first} on, for addresses of {@code addrBits} bits. */
  static FieldLayout of(PacketField leading, int first, int addrBits) {
    if (!LeadingField.CANDIDATES.contains(leading)) throw new IllegalArgumentException("cannot lead: " + leading);
    List<PacketField> order = new ArrayList<>(USUAL);
    order.remove(leading);
    order.add(0, leading);
    Map<PacketField, int[]> vars = new EnumMap<>(PacketField.class);
    int next = first;
    int pool = -1;
    for (PacketField f : order) {
      if (f == PacketField.SRC_TYPE) {
        pool = next;
        next += PacketSpace.UNKNOWN_POOL;
      }
      int bits = bits(f, addrBits);
      PacketField original = f == PacketField.DST ? PacketField.ORIG_DST : f == PacketField.DPORT ? PacketField.ORIG_DPORT : null;
      int[] vs = new int[bits];
      if (original == null) {
        for (int i = 0; i < bits; i++) vs[i] = next++;
      } else {
        // a field and its original interleaved, so that "one equals the other" stays small
        int[] os = new int[bits];
        for (int i = 0; i < bits; i++) {
          vs[i] = next++;
          os[i] = next++;
        }
        vars.put(original, os);
      }
      vars.put(f, vs);
    }
    return new FieldLayout(vars, pool, next);
  }

  private static int bits(PacketField f, int addrBits) {
    return switch (f) {
      case DST, SRC -> addrBits;
      case DPORT, SPORT -> 16;
      case DST_TYPE, SRC_TYPE -> PacketSpace.bitsFor(PacketSpace.ADDR_TYPES);
      case PROTO, ICMP_TYPE, ICMP_CODE, TCP_FLAGS -> 8;
      case FRAGMENT -> 1;
      case UID, GID -> 32;
      default -> throw new IllegalArgumentException("not a field of the layout: " + f);
    };
  }

  /**
   * Where {@code other} (of the same first variable and address size) has the bits of this
   * layout: element {@code v - first} is the variable there of the bit that is variable
   * {@code v} here.
   */
  int[] placesIn(FieldLayout other, int first) {
    int[] out = new int[end - first];
    vars.forEach((f, vs) -> {
      int[] there = other.vars.get(f);
      for (int i = 0; i < vs.length; i++) out[vs[i] - first] = there[i];
    });
    for (int i = 0; i < PacketSpace.UNKNOWN_POOL; i++) out[pool + i - first] = other.pool + i;
    return out;
  }
}
