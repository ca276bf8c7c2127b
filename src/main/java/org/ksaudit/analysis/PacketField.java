package org.ksaudit.analysis;

/**
 * The header fields (and the state the kernel keeps with a packet) a {@link PacketSet} can be
 * asked about or narrowed by. {@link #ORIG_DST} and {@link #ORIG_DPORT} are the destination
 * and port the application addressed, before any DNAT.
 */
public enum PacketField {
  OIF,
  IIF,
  STATE,
  SOCKET,
  PROTO,
  DST_TYPE,
  DST,
  ORIG_DST,
  DPORT,
  ORIG_DPORT,
  MARK,
  CTMARK,
  SRC,
  SPORT,
  SRC_TYPE,
  ICMP_TYPE,
  ICMP_CODE,
  TCP_FLAGS,
  FRAGMENT,
  UID,
  GID
}
