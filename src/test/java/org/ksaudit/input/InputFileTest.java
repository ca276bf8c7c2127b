package org.ksaudit.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What is read is bounded: at most {@link InputFile#MAX_BYTES}, streamed, and a block that is
 * binary by the stated rule (more than an eighth control bytes) stops the read; text with a few
 * stray control bytes reaches the parser unchanged.
 */
class InputFileTest {
  private static final String RULES = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -o tun0 -j ACCEPT\nCOMMIT\n";

  private static InputFile stdin(byte[] bytes) throws InputFile.InputException {
    return InputFile.read("-", new ByteArrayInputStream(bytes));
  }

  private static String refusal(byte[] bytes) {
    return assertThrows(InputFile.InputException.class, () -> stdin(bytes)).getMessage();
  }

  @Test
  void zerosAreBinary() {
    assertTrue(refusal(new byte[100_000]).startsWith("<stdin> is binary, not an iptables-save dump"));
    assertTrue(refusal(new byte[10]).startsWith("<stdin> is binary"));
  }

  @Test
  void randomBytesAreBinary() {
    byte[] b = new byte[50_000];
    new Random(9).nextBytes(b);
    assertTrue(refusal(b).startsWith("<stdin> is binary"));
  }

  @Test
  void binaryAfterTextIsFoundInItsBlock() {
    byte[] text = "# a comment line of a ruleset\n".repeat(1000).getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[text.length + 20_000];
    System.arraycopy(text, 0, all, 0, text.length);
    String m = refusal(all);
    assertTrue(m.contains("from offset " + (text.length / 8192) * 8192), m);
  }

  @Test
  void aFewNulAndEscapeBytesInRuleLinesAreText() throws Exception {
    String rules = "*filter\n:OUTPUT DROP [0:0]\n-A OUTPUT -m comment --comment \"a\u0000b\" -j ACCEPT\n"
        + "-A OUTPUT -o tun0 -j ACCEPT\u0000\n-A OUTPUT -m comment --comment \"\u001b[2J\" -j DROP\nCOMMIT\n";
    assertEquals(rules, stdin(rules.getBytes(StandardCharsets.UTF_8)).text());
  }

  @Test
  void utf8AndLatin1TextAreText() throws Exception {
    String cjk = RULES + "# 日本語のコメント".repeat(500) + "\n";
    assertEquals(cjk, stdin(cjk.getBytes(StandardCharsets.UTF_8)).text());
    String latin = RULES + "# café crème brûlée\n".repeat(500);
    assertEquals(latin, stdin(latin.getBytes(StandardCharsets.ISO_8859_1)).text());
  }

  @Test
  void anEndlessTextStreamStopsAtTheLimit() {
    byte[] line = "# an endless comment\n".getBytes(StandardCharsets.US_ASCII);
    long[] served = {0};
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return line[(int) (served[0]++ % line.length)];
      }

      @Override
      public int read(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) b[off + i] = (byte) read();
        return len;
      }
    };
    String m = assertThrows(InputFile.InputException.class, () -> InputFile.read("-", endless)).getMessage();
    assertTrue(m.startsWith("<stdin> is larger than 64 MiB, the most ksaudit reads"), m);
    assertTrue(served[0] <= InputFile.MAX_BYTES + 65_536L, "read " + served[0] + " bytes");
  }

  @Test
  void aLargerFileIsRefusedBeforeReading(@TempDir Path dir) throws IOException {
    Path big = dir.resolve("big.v4");
    try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(InputFile.MAX_BYTES + 1L);
    }
    String m = assertThrows(InputFile.InputException.class, () -> InputFile.read(big.toString(), InputStream.nullInputStream()))
        .getMessage();
    assertTrue(m.startsWith(big + " is larger than 64 MiB"), m);
  }

  @Test
  void devZeroStopsAtItsFirstBlock() {
    if (!Files.isReadable(Path.of("/dev/zero"))) return;
    long start = System.nanoTime();
    String m = assertThrows(InputFile.InputException.class, () -> InputFile.read("/dev/zero", InputStream.nullInputStream()))
        .getMessage();
    assertTrue(m.startsWith("/dev/zero is binary"), m);
    assertTrue(System.nanoTime() - start < 2_000_000_000L, "took " + (System.nanoTime() - start) / 1_000_000 + " ms");
  }

  @Test
  void anUnreadableStdinIsOneLine() {
    InputStream broken = new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("Bad file descriptor");
      }
    };
    String m = assertThrows(InputFile.InputException.class, () -> InputFile.read("-", broken)).getMessage();
    assertEquals("cannot read standard input: Bad file descriptor", m);
  }
}
