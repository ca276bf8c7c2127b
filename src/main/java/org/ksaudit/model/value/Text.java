package org.ksaudit.model.value;

/** Free text (a comment, a log prefix) or a value whose meaning the analysis does not need. */
public record Text(String text) implements Value {}
