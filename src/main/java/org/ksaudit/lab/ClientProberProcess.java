package org.ksaudit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@link ClientProber} of one lab: started once in the client namespace, then fed one batch
 * of service probes per scenario. Its sockets are made per request, so each batch follows the
 * client's routes and rules as they stand when it is sent. Deleting the namespace kills it too.
 */
final class ClientProberProcess implements AutoCloseable {
  private final Process process;
  private final OutputStream in;
  private final BufferedReader out;

  private ClientProberProcess(Process process) {
    this.process = process;
    this.in = process.getOutputStream();
    this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
  }

  static ClientProberProcess start(Lab lab) throws LabException {
    if (Netns.shuttingDown()) throw new LabException("shutting down: the client prober is not started");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", lab.client().name()));
    cmd.addAll(JavaMain.command(ClientProber.class, List.of()));
    try {
      Process p = new ProcessBuilder(cmd)
          .redirectError(ProcessBuilder.Redirect.appendTo(lab.scratch().resolve("client-prober.log").toFile()))
          .start();
      return new ClientProberProcess(p);
    } catch (IOException e) {
      throw new LabException("cannot start the client prober: " + e.getMessage());
    }
  }

  /** Runs the probes (each with its source port) and returns, per probe id, {@code ok DETAIL} or {@code fail REASON}. */
  Map<String, String> run(List<ScenarioProbe> probes, Map<String, Integer> ports, int timeout) throws LabException {
    StringBuilder batch = new StringBuilder().append(timeout).append('\n');
    for (ScenarioProbe p : probes) {
      batch.append(p.id()).append(' ').append(p.service().orElseThrow()).append(' ').append(p.dst()).append(' ')
          .append(ports.get(p.id())).append('\n');
    }
    batch.append(ClientProber.END).append('\n');
    // the first batch also waits for the JVM's start; the bound is for a stuck prober, not a speed target
    long bound = 60_000L + timeout * 3L;
    CompletableFuture<Map<String, String>> answers = CompletableFuture.supplyAsync(this::readBatch);
    try {
      in.write(batch.toString().getBytes(StandardCharsets.UTF_8));
      in.flush();
      return answers.get(bound, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      throw new LabException("the client prober stopped reading: " + e.getMessage() + ended());
    } catch (ExecutionException e) {
      throw new LabException("the client prober failed: " + e.getCause().getMessage() + ended());
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new LabException("the client prober gave no answer within " + bound + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted");
    }
  }

  private Map<String, String> readBatch() {
    Map<String, String> answers = new HashMap<>();
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.equals(ClientProber.DONE)) return answers;
        int sp = line.indexOf(' ');
        if (sp > 0) answers.put(line.substring(0, sp), line.substring(sp + 1));
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    throw new IllegalStateException("it ended before it answered");
  }

  private String ended() {
    return process.isAlive() ? "" : " (" + LabProcess.endedWith(process.exitValue()) + ")";
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
