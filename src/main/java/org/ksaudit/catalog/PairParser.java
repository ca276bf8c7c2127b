package org.ksaudit.catalog;

import org.ksaudit.model.value.Value;

/** Turns the two words of a {@link ArgKind#PAIR} option into a typed value, or says why iptables refuses them. */
@FunctionalInterface
public interface PairParser {
  Value parse(String first, String second, ValueContext ctx) throws BadValue;
}
