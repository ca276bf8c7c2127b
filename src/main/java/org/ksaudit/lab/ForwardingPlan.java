package org.ksaudit.lab;

import java.util.List;

/**
 * The LAN behind a client that forwards (an OpenWrt router, a Docker or libvirt host): one
 * host in a namespace of its own, linked to the client's {@code lanInterface}, whose traffic
 * the client forwards out of {@code uplink} under the user's FORWARD and nat rules.
 *
 * @param lanInterface the client's interface to that LAN, named as the rules name it (br-lan, docker0, virbr0)
 * @param uplink where the client's default route leads: the interface the rules masquerade to
 * @param gateway the client's address on the LAN
 * @param host the LAN host's address, the source of every forwarded probe
 * @param prefix the LAN's prefix length
 * @param notes where each part came from, for the report
 */
public record ForwardingPlan(String lanInterface, String uplink, String gateway, String host, int prefix, List<String> notes) {
  public ForwardingPlan {
    notes = List.copyOf(notes);
  }
}
