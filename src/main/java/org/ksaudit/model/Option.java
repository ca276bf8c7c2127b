package org.ksaudit.model;

import org.ksaudit.model.value.Value;

/** One option of a match or target, by its canonical long name, with its typed value. */
public record Option(String name, boolean negated, Value value, SourcePos pos) {}
