package org.ksaudit.live;

import java.util.List;
import java.util.Optional;

/**
 * Where a host's state is read from: the running host ({@link LiveSource}) or outputs saved on
 * it by the collection script ({@link SavedSource}). Both answer the same questions, so the
 * audit cannot tell them apart.
 */
public interface HostSource {
  /** What the host is, for reports ("this host", a folder). */
  String describe();

  /**
   * The output of one read-only command the collection script also runs, by its name in
   * {@link Commands}; empty when the program is missing or produced nothing.
   */
  Optional<String> output(Commands.Command command) throws HostReadException;

  /** The sysctl settings under net., as "key = value" lines. */
  String sysctls() throws HostReadException;

  /** A file by its absolute path on the host; empty when it does not exist. */
  Optional<String> file(String path) throws HostReadException;

  /** The names in a folder on the host (not recursive); empty when the folder does not exist. */
  List<String> list(String folder) throws HostReadException;
}
