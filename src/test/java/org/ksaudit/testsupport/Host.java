package org.ksaudit.testsupport;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.ksaudit.lab.Exec;

/**
 * Preconditions of tests that need the real kernel: root, ip(8), iptables. Elsewhere such
 * tests are skipped with the reason; under CI=true a missing precondition is a failure,
 * because CI must run them.
 */
public final class Host {
  private Host() {}

  public static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** Skips (or fails under CI) unless running as root with every command on PATH. */
  public static void requireRootWith(String... commands) {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) missing.add("root privileges");
    for (String c : commands) if (!Exec.onPath(c)) missing.add("'" + c + "' on PATH");
    if (missing.isEmpty()) return;
    String why = "needs " + String.join(", ", missing) + " (install: apt-get install -y iptables iproute2 openvpn wireguard-go wireguard-tools)";
    if (inCi()) fail("CI=true but this kernel test cannot run: " + why);
    // an abort in @BeforeAll leaves surefire's line at "Tests run: 0" with no reason: say it in the test log too
    System.out.println(callerClass() + " skipped: " + why);
    Assumptions.abort("skipped: " + why);
  }

  /** The simple name of the test class that asked. */
  private static String callerClass() {
    return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(
        frames -> frames.map(StackWalker.StackFrame::getDeclaringClass).filter(c -> c != Host.class).findFirst())
        .map(Class::getSimpleName).orElse("test");
  }

  public static boolean isRoot() {
    Exec.Result r = Exec.run("id", "-u");
    return r.ok() && r.stdout().strip().equals("0");
  }
}
