package org.ksaudit.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command that runs one of ksaudit's own classes in a fresh JVM: the lab's services and
 * client prober must run inside namespaces, which a running JVM cannot enter.
 */
final class JavaMain {
  private JavaMain() {}

  static List<String> command(Class<?> main, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // short-lived helpers: quick start matters more than peak speed
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-Xmx128m",
        "-Djava.net.preferIPv6Addresses=false",
        "-cp", System.getProperty("java.class.path"),
        main.getName()));
    cmd.addAll(args);
    return cmd;
  }
}
