package org.ksaudit.analysis;

/** Which of a pair of header fields an address, port or interface condition tests. */
public enum Dir {
  SRC, DST, EITHER
}
