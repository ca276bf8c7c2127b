package org.ksaudit.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.AccessDeniedException;

/** A ruleset file's name (as the user wrote it, "-" for stdin) and its text. */
public record InputFile(String name, String text) {

  /** Reads a path or "-" (stdin); the message of the exception is one user-facing line. */
  public static InputFile read(String name, InputStream stdin) throws InputException {
    try {
      byte[] bytes;
      if (name.equals("-")) {
        bytes = stdin.readAllBytes();
        return new InputFile("<stdin>", decode(bytes));
      }
      Path p = Path.of(name);
      if (Files.isDirectory(p)) throw new InputException("cannot read " + name + ": is a directory");
      bytes = Files.readAllBytes(p);
      return new InputFile(name, decode(bytes));
    } catch (NoSuchFileException e) {
      throw new InputException("cannot read " + name + ": no such file");
    } catch (AccessDeniedException e) {
      throw new InputException("cannot read " + name + ": permission denied");
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new InputException("cannot read " + name + ": " + e.getMessage());
    }
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
