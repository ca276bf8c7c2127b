package org.ksaudit.live;

import java.util.Optional;

/** A DNS server the host is configured to use; {@code link} when the configuration ties it to one; {@code source} says where it was read. */
public record Resolver(String address, Optional<String> link, String source) {}
