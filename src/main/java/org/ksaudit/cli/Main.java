package org.ksaudit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.ksaudit.diagnostic.TerminalText;
import org.ksaudit.input.InputFile;
import org.ksaudit.report.ErrorReport;
import org.ksaudit.report.Format;
import picocli.CommandLine;

/**
 * Command-line entry. {@link #run} takes its streams and returns the exit code so every path
 * is testable in-process; only {@link #main} calls System.exit.
 *
 * <p>Everything written goes through a {@link TerminalWriter}, which escapes control characters.
 * A run that stops early (usage error, bad input, internal error) says why in one line on
 * standard error and, when {@code --format json} was asked for, also as a JSON document on
 * standard output. A write that fails (a full disk, a closed pipe) makes the exit code 3.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    int code = run(args, stdin(), System.out, System.err, Streams.Console.detect(), System.getenv());
    System.out.flush();
    System.exit(code);
  }

  /** A run whose standard output is no terminal: no colour unless {@code --color always}. */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, in, out, err, Streams.Console.none(), System.getenv());
  }

  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Streams.Console console) {
    return run(args, in, out, err, console, System.getenv());
  }

  /** A run with this environment ({@code XDG_CONFIG_HOME} and {@code HOME} say where the user's config is). */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
    return run(args, in, out, err, Streams.Console.none(), env);
  }

  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Streams.Console console,
      Map<String, String> env) {
    // both writers of standard output write through to one encoder, so what they write stays in order
    OutputStreamWriter stdout = new OutputStreamWriter(out, StandardCharsets.UTF_8);
    PrintWriter o = new PrintWriter(new TerminalWriter(stdout), true);
    PrintWriter styled = new PrintWriter(new TerminalWriter(stdout, true), true);
    PrintWriter e = new PrintWriter(new TerminalWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8)), true);
    boolean json = jsonRequested(args);
    Streams streams = new Streams(in, o, e, styled, console, env);
    CommandLine cl = new CommandLine(new KsauditCommand(), new Factory(streams));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(o);
    cl.setErr(e);
    // descriptions are written as lines of up to ~95 characters; picocli's 80 would break them mid-sentence
    cl.setUsageHelpWidth(100);
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> stopped(ex, cmd, json || configuredJson(cmd), o, e));
    cl.setParameterExceptionHandler((ex, a) -> {
      CommandLine c = ex.getCommandLine();
      e.println("ksaudit: " + message(ex));
      e.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
      if (json) o.println(ErrorReport.json(Version.get(), ex.getMessage(), ExitCodes.INPUT));
      return ExitCodes.INPUT;
    });
    int code;
    try {
      code = cl.execute(args);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError ex) {
      code = internal(ex, json, o, e);
    }
    return written(code, out, err, List.of(o, styled), e);
  }

  /** The exit code of a command that threw: its own for a {@link Failure}, 2 for unreadable input, else 3. */
  private static int stopped(Exception ex, CommandLine cmd, boolean json, PrintWriter o, PrintWriter e) {
    String name = cmd.getCommandSpec().qualifiedName();
    if (ex instanceof Failure f) {
      e.println(name + ": " + message(f));
      if (f.usage()) e.println("Try '" + name + " --help' for more information.");
      if (json) o.println(ErrorReport.json(Version.get(), f.getMessage(), f.exitCode()));
      return f.exitCode();
    }
    if (ex instanceof InputFile.InputException i) {
      e.println("ksaudit: " + message(i));
      if (json) o.println(ErrorReport.json(Version.get(), i.getMessage(), ExitCodes.INPUT));
      return ExitCodes.INPUT;
    }
    return internal(ex, json, o, e);
  }

  private static int internal(Throwable t, boolean json, PrintWriter o, PrintWriter e) {
    String line = failure(t);
    e.println(line);
    if (json) o.println(ErrorReport.json(Version.get(), line.substring("ksaudit: ".length()), ExitCodes.INTERNAL));
    return ExitCodes.INTERNAL;
  }

  /**
   * The exit code once everything is flushed: a report that could not be written (a full disk,
   * a reader that went away) is not a result, so it is exit 3, said on standard error.
   */
  private static int written(int code, PrintStream out, PrintStream err, List<PrintWriter> outs, PrintWriter e) {
    boolean failed = false;
    for (PrintWriter o : outs) failed |= o.checkError();
    if (failed || out.checkError()) {
      e.println("ksaudit: cannot write to standard output (disk full, or the reader went away): the output is incomplete");
      e.flush();
      return ExitCodes.INTERNAL;
    }
    e.flush();
    return e.checkError() || err.checkError() ? ExitCodes.INTERNAL : code;
  }

  /**
   * Whether the command line asks for JSON, read from the words themselves: errors found while
   * picocli reads the options must come out as JSON too, before any option has a value.
   */
  static boolean jsonRequested(String[] args) {
    List<String> a = Arrays.asList(args);
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i).equalsIgnoreCase("--format=json")) return true;
      if (a.get(i).equals("--format") && i + 1 < a.size() && a.get(i + 1).equalsIgnoreCase("json")) return true;
    }
    return false;
  }

  /** Whether a check that stopped had taken {@code format = json} from its .ksauditrc before it stopped. */
  private static boolean configuredJson(CommandLine cmd) {
    return cmd.getCommand() instanceof CheckCommand c && c.format == Format.JSON;
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

  /**
   * The message of an error ksaudit words itself, as one line: it may quote a value with a newline
   * in it (a file name, an argument), which is shown escaped.
   */
  private static String message(Exception e) {
    return TerminalText.line(e.getMessage());
  }

  /** The first line of a throwable's message: the rest of a library's message is detail for a bug report. */
  static String oneLine(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) m = t.getClass().getSimpleName();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * Standard input, or a stream that says it is closed. When ksaudit is started with standard
   * input closed, the first file the JVM opens itself (its class library, the jar, the class-data
   * archive) takes descriptor 0, and reading "-" would read that file. The launcher says so with
   * {@code -Dksaudit.stdin=closed}; started otherwise, descriptor 0 pointing into the JVM's own
   * files gives it away.
   */
  private static InputStream stdin() {
    if ("closed".equals(System.getProperty("ksaudit.stdin")) || jvmOwnsDescriptorZero()) return new ClosedInput();
    return System.in;
  }

  private static boolean jvmOwnsDescriptorZero() {
    try {
      Path zero = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
      if (zero.startsWith(Path.of(System.getProperty("java.home")).toRealPath()) || zero.toString().endsWith(".jsa")) return true;
      for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator))
        if (!entry.isEmpty() && zero.equals(Path.of(entry).toAbsolutePath().normalize())) return true;
      return false;
    } catch (IOException | RuntimeException ex) {
      // no /proc, or descriptor 0 is not a file: nothing the JVM opened
      return false;
    }
  }

  /** Standard input when it was closed: reading it fails with a reason the user can act on. */
  private static final class ClosedInput extends InputStream {
    @Override
    public int read() throws IOException {
      throw new IOException("it is closed (give the rules on standard input, or a file name)");
    }
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
