package org.ksaudit.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** libxtables' number reading, case by case as the kernel tools behave (each checked with iptables 1.8.9). */
class NumbersTest {
  @Test
  void xtablesStrtoulTakesCSyntaxAndRefusesMinus() {
    assertEquals(Optional.of(22L), Numbers.xtables("22", 0, 65535));
    assertEquals(Optional.of(22L), Numbers.xtables("0x16", 0, 65535));
    assertEquals(Optional.of(8L), Numbers.xtables("010", 0, 65535));
    assertEquals(Optional.of(22L), Numbers.xtables(" 22", 0, 65535));
    assertEquals(Optional.of(22L), Numbers.xtables("+22", 0, 65535));
    assertTrue(Numbers.xtables("08", 0, 65535).isEmpty(), "8 is not an octal digit");
    assertTrue(Numbers.xtables("22 ", 0, 65535).isEmpty(), "trailing blank");
    assertTrue(Numbers.xtables("-1", 0, 65535).isEmpty());
    assertTrue(Numbers.xtables("0x", 0, 65535).isEmpty());
    assertTrue(Numbers.xtables("65536", 0, 65535).isEmpty());
    assertTrue(Numbers.xtables("", 0, 65535).isEmpty());
  }

  @Test
  void strtoulSaturatesAndStopsAtTheFirstNonDigit() {
    Numbers.Scan s = Numbers.strtoul("12ab", 0, 10);
    assertEquals(12, s.value());
    assertEquals(2, s.end());
    assertTrue(Numbers.strtoul("99999999999999999999999", 0, 10).overflow());
    assertEquals(0, Numbers.strtoul("xyz", 0, 10).end(), "no digits: nothing consumed");
    assertEquals(0x1f, Numbers.strtoul("0x1f", 0, 16).value());
  }

  @Test
  void inetAtonFormsAsGetaddrinfoReadsThem() {
    assertEquals(Optional.of(0x0a000001L), Inet4.aton("10.1"));
    assertEquals(Optional.of(1L), Inet4.aton("1"));
    assertEquals(Optional.of(0x0a010203L), Inet4.aton("10.1.515"));
    assertEquals(Optional.of(0x7f000001L), Inet4.aton("0x7f.1"));
    assertTrue(Inet4.aton("1.2.3.").isEmpty());
    assertTrue(Inet4.aton("256.1.1.1").isEmpty());
    assertTrue(Inet4.aton("1.2.65536").isEmpty());
    assertTrue(Inet4.aton("08.1.1.1").isEmpty());
    assertEquals(Optional.of(0x01020304L), Inet4.numeric(" 1.2.3.4"), "libxtables' own parser allows blanks");
    assertEquals(Optional.of(0x01020300L), Inet4.numeric("1.2.3"), "libxtables' own parser fills missing parts with 0");
    assertTrue(Inet4.numericMask("255.255.255").isEmpty(), "a mask needs four parts");
  }
}
