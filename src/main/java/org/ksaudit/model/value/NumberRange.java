package org.ksaudit.model.value;

/** An inclusive numeric range (uid, gid, length, ttl, ...); a single number has from == to. */
public record NumberRange(long from, long to) implements Value {
  public boolean contains(long v) {
    return v >= from && v <= to;
  }
}
