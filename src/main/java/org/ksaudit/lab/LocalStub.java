package org.ksaudit.lab;

import java.util.Optional;

/**
 * A local stub resolver the rules send DNS through, as systemd-resolved's at 127.0.0.53: the
 * host's applications ask it, and only its queries (those of the uid or gid the rules single
 * out for the resolver) may leave, through the tunnel.
 *
 * @param address where it listens
 * @param uid the uid its queries leave as, when the rules name one
 * @param gid the gid, likewise
 */
public record LocalStub(String address, Optional<Long> uid, Optional<Long> gid) {}
