package org.ksaudit.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ksaudit probe --cleanup}: removes what killed runs left behind — namespaces named
 * {@code ksa-<pid>-…} whose process is gone, with every process still inside them (VPN
 * client and server, wireguard-go and its shell, services, probers; the private mounts of
 * those processes go with them), their /etc/netns files, and their scratch directories.
 * Labs of running ksaudit processes are left alone.
 */
public final class LabCleanup {
  private LabCleanup() {}

  /** What was removed, and what was found but could not be (each with its path or name). */
  public record Result(List<String> removed, List<String> stuck) {
    public Result {
      removed = List.copyOf(removed);
      stuck = List.copyOf(stuck);
    }
  }

  public static Result run() throws LabException {
    LabTools.require(List.of("ip"));
    List<String> removed = new ArrayList<>();
    List<String> stuck = new ArrayList<>();
    Netns.deleteLeftovers(removed, stuck);
    ScratchDir.deleteLeftovers(removed, stuck);
    return new Result(removed, stuck);
  }
}
