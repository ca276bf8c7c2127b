package org.ksaudit.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The service and timer units {@code ksaudit report --print-systemd} prints: a daily run of the
 * same report command, sandboxed. The file system is read-only but for the out folder and what
 * the lab writes (its namespaces under /run/netns, their resolv.conf under /etc/netns, the
 * xtables lock; its scratch files go to a private /tmp); the capabilities are those the audit
 * of a live host and the lab use: network administration (rules, links, namespaces' network),
 * CAP_SYS_ADMIN (making and mounting namespaces), raw sockets (probes, the DHCP client), binding
 * the lab's services to low ports, running the VPN client as a uid, and signalling its processes.
 */
final class SystemdUnits {
  private SystemdUnits() {}

  static final String SERVICE = "ksaudit-report.service";
  static final String TIMER = "ksaudit-report.timer";

  /** Both units, each under a comment naming the file it goes into. */
  static String text(List<String> command, Path workingDirectory, Path out) {
    String outDir = quote(out.toAbsolutePath().normalize().toString());
    List<String> s = new ArrayList<>();
    s.add("# /etc/systemd/system/" + SERVICE);
    s.add("[Unit]");
    s.add("Description=ksaudit leak report of the VPN killswitch");
    s.add("Documentation=https://github.com/ksaudit/ksaudit#ksaudit-report--scheduled-leak-reports");
    s.add("");
    s.add("[Service]");
    s.add("Type=oneshot");
    // ip netns cannot make /run/netns, nor the lab /etc/netns, once the file system is read-only
    s.add("ExecStartPre=+/bin/mkdir -p " + outDir + " /run/netns /etc/netns");
    s.add("WorkingDirectory=" + quote(workingDirectory.toAbsolutePath().normalize().toString()));
    s.add("ExecStart=" + String.join(" ", command.stream().map(SystemdUnits::quote).toList()));
    s.add("NoNewPrivileges=yes");
    s.add("ProtectSystem=strict");
    s.add("ReadWritePaths=" + outDir + " /run/netns /etc/netns -/run/xtables.lock");
    s.add("PrivateTmp=yes");
    s.add("ProtectHome=read-only");
    s.add("ProtectControlGroups=yes");
    s.add("ProtectClock=yes");
    s.add("RestrictRealtime=yes");
    s.add("LockPersonality=yes");
    s.add("SystemCallArchitectures=native");
    s.add("RestrictAddressFamilies=AF_UNIX AF_NETLINK AF_INET AF_INET6 AF_PACKET");
    s.add("CapabilityBoundingSet=CAP_NET_ADMIN CAP_SYS_ADMIN CAP_NET_RAW CAP_NET_BIND_SERVICE CAP_SETUID CAP_SETGID CAP_KILL"
        + " CAP_DAC_OVERRIDE CAP_CHOWN CAP_FOWNER");
    s.add("UMask=0077");
    s.add("");
    s.add("# /etc/systemd/system/" + TIMER);
    s.add("[Unit]");
    s.add("Description=Daily ksaudit leak report");
    s.add("");
    s.add("[Timer]");
    s.add("OnCalendar=daily");
    s.add("RandomizedDelaySec=15min");
    s.add("Persistent=true");
    s.add("");
    s.add("[Install]");
    s.add("WantedBy=timers.target");
    return String.join("\n", s) + "\n";
  }

  /**
   * A word of a command line as systemd reads it: in double quotes when it holds a blank, a quote
   * or a backslash; {@code %} doubled (systemd's specifiers) and {@code $} doubled (its variables).
   */
  static String quote(String word) {
    String w = word.replace("%", "%%").replace("$", "$$");
    if (!w.isEmpty() && w.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '\\' || c == ';')) return w;
    return "\"" + w.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
