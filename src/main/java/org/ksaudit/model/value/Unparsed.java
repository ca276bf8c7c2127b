package org.ksaudit.model.value;

/**
 * A value the kernel tools would reject (already reported as an error). The analysis must
 * treat a match holding it as unknown, never as "matches nothing".
 */
public record Unparsed(String raw) implements Value {}
