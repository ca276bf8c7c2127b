package org.ksaudit.catalog;

import org.ksaudit.model.value.Value;

/** Turns the text of one option argument into a typed value, or says why iptables refuses it. */
@FunctionalInterface
public interface ValueParser {
  Value parse(String raw, ValueContext ctx) throws BadValue;
}
