package org.ksaudit.model.value;

/** A mark with mask ({@code 0x1/0xff}); without a mask the mask is all ones. */
public record MarkValue(long value, long mask) implements Value {
  public static final long FULL = 0xffffffffL;

  public boolean matches(long mark) {
    return (mark & mask) == value;
  }
}
