package org.ksaudit.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A ruleset file's name (as the user wrote it, "&lt;stdin&gt;" for "-") and its text.
 *
 * <p>What is read is bounded: at most {@link #MAX_BYTES}, read block by block so that a device
 * like /dev/zero or an endless pipe stops at the limit (or at its first binary block) with
 * bounded memory, and every {@link BinaryText#BLOCK}-byte block must look like text.
 */
public record InputFile(String name, String text) {
  /**
   * The largest input ksaudit reads: 64 MiB. The largest real dumps are kube-proxy's: the
   * repository's generated 100,000-line dump is about 10 MB, and auditing it takes about 2 GiB
   * of heap, so a 64 MiB dump (some 650,000 lines) is already beyond what a machine audits in
   * reasonable memory. The limit is there so that no input, however large, makes ksaudit read
   * for minutes and then run out of memory.
   */
  public static final int MAX_BYTES = 64 << 20;

  /** The name standard input is shown by. */
  public static final String STDIN = "<stdin>";

  /** Reads a path or "-" (stdin); the message of the exception is one user-facing line. */
  public static InputFile read(String name, InputStream stdin) throws InputException {
    if (name.equals("-")) {
      try {
        return new InputFile(STDIN, decode(bounded(stdin, STDIN)));
      } catch (IOException e) {
        throw new InputException("cannot read standard input: " + reason(e));
      }
    }
    try {
      Path p = Path.of(name);
      if (Files.isDirectory(p)) throw new InputException("cannot read " + name + ": is a directory");
      if (Files.isRegularFile(p) && Files.size(p) > MAX_BYTES) throw tooLarge(name);
      try (InputStream in = Files.newInputStream(p)) {
        return new InputFile(name, decode(bounded(in, name)));
      }
    } catch (NoSuchFileException e) {
      throw new InputException("cannot read " + name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read " + name + ": permission denied");
    } catch (IOException | InvalidPathException e) {
      throw new InputException("cannot read " + name + ": " + reason(e));
    }
  }

  /** Reads a stream another source opened (a program's output), bounded and checked as a file is. */
  public static InputFile read(String name, InputStream in, String what) throws InputException {
    try {
      return new InputFile(name, decode(bounded(in, name)));
    } catch (IOException e) {
      throw new InputException("cannot read " + what + ": " + reason(e));
    }
  }

  private static String reason(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** Every byte of {@code in}, refused past {@link #MAX_BYTES} or at the first binary block. */
  private static byte[] bounded(InputStream in, String name) throws IOException, InputException {
    byte[] buf = new byte[BinaryText.BLOCK * 8];
    int size = 0;
    int judged = 0;
    while (true) {
      if (size == buf.length) {
        if (size > MAX_BYTES) throw tooLarge(name);
        buf = Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, MAX_BYTES + 1L));
      }
      int n = in.read(buf, size, buf.length - size);
      if (n < 0) break;
      size += n;
      if (size > MAX_BYTES) throw tooLarge(name);
      for (; judged + BinaryText.BLOCK <= size; judged += BinaryText.BLOCK) refuseBinary(buf, judged, BinaryText.BLOCK, name);
    }
    if (judged < size) {
      int from = Math.max(0, size - BinaryText.BLOCK);
      refuseBinary(buf, from, size - from, name);
    }
    return Arrays.copyOf(buf, size);
  }

  private static void refuseBinary(byte[] buf, int from, int length, String name) throws InputException {
    int controls = BinaryText.controls(buf, from, length);
    if (BinaryText.binary(controls, length))
      throw new InputException(name + " is binary, not an iptables-save dump: " + controls + " of the " + length
          + " bytes from offset " + from + " are control bytes (NUL, ESC, ...) or invalid text");
  }

  private static InputException tooLarge(String name) {
    return new InputException(name + " is larger than " + (MAX_BYTES >> 20) + " MiB, the most ksaudit reads"
        + " (iptables-save dumps are far smaller: 100,000 rules take about 10 MB)");
  }

  /** UTF-8 when valid; otherwise Latin-1, which maps every byte and so never fails. */
  private static String decode(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** A problem reading input, worded for the user. */
  public static final class InputException extends Exception {
    public InputException(String message) {
      super(message, null, false, false);
    }
  }
}
