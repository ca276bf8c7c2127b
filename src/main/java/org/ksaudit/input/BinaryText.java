package org.ksaudit.input;

/**
 * Tells binary data from text, one block at a time. A block is binary when more than an
 * eighth of its bytes are control bytes no text file needs: C0 controls other than tab,
 * newline, vertical tab, form feed and carriage return, and DEL; in a block that is not valid
 * UTF-8 (read as Latin-1), the bytes 0x80-0x9F too, which are C1 controls there.
 *
 * <p>/dev/zero, executables, compressed or random data are far above that (random bytes: about
 * a quarter), while text with a few stray bytes is far below: a NUL or an ESC inside a rule
 * line is an iptables-restore matter for the parser to report at its position, not a reason
 * to refuse the file.
 */
final class BinaryText {
  private BinaryText() {}

  /** The size of the blocks judged. */
  static final int BLOCK = 8192;

  /** The control bytes of {@code buf[from, from+length)}, as counted for the rule above. */
  static int controls(byte[] buf, int from, int length) {
    int c0 = 0;
    int c1 = 0;
    for (int i = from; i < from + length; i++) {
      int b = buf[i] & 0xff;
      if (b < 0x20 ? b < '\t' || b > '\r' : b == 0x7f) c0++;
      else if (b >= 0x80 && b <= 0x9f) c1++;
    }
    return c1 == 0 || Utf8.valid(buf, from, length) ? c0 : c0 + c1;
  }

  static boolean binary(int controls, int length) {
    return (long) controls * 8 > length;
  }

  /** UTF-8 validity of a block cut out of a longer stream: a sequence cut at either end is not held against it. */
  private static final class Utf8 {
    private Utf8() {}

    static boolean valid(byte[] b, int from, int length) {
      int end = from + length;
      int i = from;
      for (int k = 0; k < 3 && i < end && (b[i] & 0xc0) == 0x80; k++) i++;
      while (i < end) {
        int lead = b[i] & 0xff;
        int more;
        if (lead < 0x80) more = 0;
        else if (lead >= 0xc2 && lead <= 0xdf) more = 1;
        else if (lead >= 0xe0 && lead <= 0xef) more = 2;
        else if (lead >= 0xf0 && lead <= 0xf4) more = 3;
        else return false;
        for (int k = 1; k <= more; k++) {
          if (i + k >= end) return true;
          if ((b[i + k] & 0xc0) != 0x80) return false;
        }
        i += more + 1;
      }
      return true;
    }
  }
}
