package org.ksaudit.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ksaudit probe --cleanup}: removes what killed runs left behind — namespaces named
 * {@code ksa-<pid>-…} whose process is gone (with every process still inside them: VPN
 * client and server, services), their /etc/netns files, and their scratch directories.
 * Labs of running ksaudit processes are left alone.
 */
public final class LabCleanup {
  private LabCleanup() {}

  public static List<String> run() throws LabException {
    LabTools.require(List.of("ip"));
    List<String> removed = new ArrayList<>(Netns.deleteLeftovers());
    for (Path p : ScratchDir.deleteLeftovers()) removed.add(p.toString());
    return removed;
  }
}
