package org.ksaudit.catalog;

import java.util.Optional;
import org.ksaudit.model.Family;

/** What a value parser may need to know about the rule being read. */
public record ValueContext(Family family, Optional<String> protocol) {}
