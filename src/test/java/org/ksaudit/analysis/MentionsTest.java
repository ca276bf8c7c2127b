package org.ksaudit.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.ksaudit.model.Family;
import org.ksaudit.model.value.InterfaceName;

class MentionsTest {
  /**
   * Interfaces come in the order the rules first name them: the interface classes, and so the
   * witnesses and the interface lists of findings, must not change from one run to the next
   * (they did while the sets were copied with Set.copyOf, whose order is salted per JVM).
   */
  @Test
  void interfacesKeepTheOrderOfFirstMention() {
    Mentions m = Mentions.of(TestRules.parse("order.v4", """
        *filter
        :INPUT ACCEPT [0:0]
        :FORWARD ACCEPT [0:0]
        :OUTPUT ACCEPT [0:0]
        -A OUTPUT -o eth0 -j ACCEPT
        -A OUTPUT -o as0t+ -j ACCEPT
        -A OUTPUT -o lo -j ACCEPT
        -A OUTPUT -o as0t1 -j ACCEPT
        -A OUTPUT -o as0t0 -j ACCEPT
        -A OUTPUT -o eth0 -p udp -j ACCEPT
        COMMIT
        """, Family.IPV4));
    assertEquals(List.of("eth0", "as0t+", "lo", "as0t1", "as0t0"), m.interfaces().stream().map(InterfaceName::name).toList());
  }
}
