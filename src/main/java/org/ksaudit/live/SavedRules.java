package org.ksaudit.live;

import org.ksaudit.model.Family;

/** A rules file a boot restores: where it lies (as the host names it) and what it holds. */
public record SavedRules(Family family, String path, String text) {}
