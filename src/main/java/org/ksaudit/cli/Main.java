package org.ksaudit.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Command-line entry. {@link #run} takes its streams and returns the exit code so every path
 * is testable in-process; only {@link #main} calls System.exit.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, System.in, System.out, System.err);
    System.out.flush();
    System.exit(code);
  }

  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    Streams streams = new Streams(in, o, e);
    CommandLine cl = new CommandLine(new KsauditCommand(), new Factory(streams));
    cl.setOut(o);
    cl.setErr(e);
    // descriptions are written as lines of up to ~95 characters; picocli's 80 would break them mid-sentence
    cl.setUsageHelpWidth(100);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      e.println(failure(ex));
      return ExitCodes.INTERNAL;
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      e.println("ksaudit: " + oneLine(ex));
      CommandLine c = ex.getCommandLine();
      e.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      return ExitCodes.INPUT;
    });
    try {
      int code = cl.execute(args);
      o.flush();
      e.flush();
      return code;
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError ex) {
      e.println(failure(ex));
      e.flush();
      return ExitCodes.INTERNAL;
    }
  }

  /**
   * The one line for a failure of ksaudit itself. Running out of memory is not a bug but a
   * limit the user can raise: say which and how.
   */
  static String failure(Throwable t) {
    if (t instanceof OutOfMemoryError) {
      long mib = Runtime.getRuntime().maxMemory() >> 20;
      return "ksaudit: out of memory (Java heap limit " + mib + " MiB): this ruleset needs a larger heap; run again with"
          + " KSAUDIT_JAVA_OPTS=-Xmx" + Math.max(2, 2 * ((mib + 1023) / 1024)) + "g ./ksaudit ... (or java -Xmx... -jar ksaudit.jar)";
    }
    return "ksaudit: internal error: " + oneLine(t) + " (please report this)";
  }

  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Gives every subcommand the streams of this run. */
  private record Factory(Streams streams) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        return cls.getDeclaredConstructor(Streams.class).newInstance(streams);
      } catch (NoSuchMethodException ex) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }
}
