package org.ksaudit.check;

import java.util.List;
import org.ksaudit.analysis.Decider;
import org.ksaudit.analysis.PacketSet;
import org.ksaudit.model.Family;

/**
 * A leak check that takes, in one family's ruleset, whatever traffic no more specific check
 * claims: KS106 in an IPv4 ruleset, KS103 in an IPv6 one. It points at no option of the rule.
 */
abstract class RestOfFamilyCheck extends LeakCheck {
  private final Family family;

  RestOfFamilyCheck(Family family) {
    this.family = family;
  }

  @Override
  final TrafficKind kind() {
    return TrafficKind.OTHER;
  }

  /** In a ruleset of the family, all that the more specific checks left. */
  @Override
  final PacketSet piece(LeakScene scene, Decider d, PacketSet left) {
    return scene.family() == family ? left : scene.scope().none();
  }

  /** What no more specific check claims, in a ruleset of the family. */
  @Override
  final boolean claims(LeakShape shape) {
    return shape.family() == family;
  }

  @Override
  final List<String> pointAt() {
    return List.of();
  }
}
