package org.ksaudit.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one line ksaudit prints when it fails itself: a bug asks for a report, a memory limit says how to raise it. */
class MainFailureTest {
  @Test
  void outOfMemoryTellsHowToRaiseTheHeap() {
    String line = Main.failure(new OutOfMemoryError("Java heap space"));
    assertTrue(line.startsWith("ksaudit: out of memory (Java heap limit "), line);
    assertTrue(line.contains("KSAUDIT_JAVA_OPTS=-Xmx"), line);
    assertFalse(line.contains("report"), line);
    assertFalse(line.contains("\n"), line);
  }

  @Test
  void aBugAsksForAReport() {
    String line = Main.failure(new IllegalStateException("no chain\nsecond line"));
    assertTrue(line.equals("ksaudit: internal error: no chain (please report this)"), line);
  }
}
