package org.ksaudit.analysis;

/**
 * Which interfaces the kernel passes to a hook: PREROUTING and INPUT have no output device
 * yet, OUTPUT and POSTROUTING no input device, FORWARD both. A rule testing a device the hook
 * does not have tests the empty name.
 */
public record StageView(boolean inputVisible, boolean outputVisible) {
  public static StageView of(String hook) {
    return switch (hook) {
      case "PREROUTING", "INPUT" -> new StageView(true, false);
      case "FORWARD" -> new StageView(true, true);
      default -> new StageView(false, true);
    };
  }
}
