package org.ksaudit.model.value;

/** ICMP / ICMPv6 type with an inclusive code range; type 255 with "any" means every type. */
public record IcmpType(int type, int codeFrom, int codeTo, boolean any) implements Value {}
