package org.ksaudit.model.value;

/** An option that takes no value ({@code --syn}, {@code --rcheck}). */
public record Flag() implements Value {
  public static final Flag INSTANCE = new Flag();
}
