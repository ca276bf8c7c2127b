package org.ksaudit.lab;

import java.util.Optional;

/**
 * One thing the baseline needs that did not work: what it is ("DNS to the VPN resolver
 * 198.51.100.225 through the tunnel"), what happened instead, and the packet that carried it,
 * whose trace in the lab's own ruleset names the rule that stopped it.
 */
record FailedCheck(String what, String instead, Optional<Probe> packet) {}
