package org.ksaudit.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/** The standard streams and the environment of one CLI run. */
public record Streams(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env) {
  public Streams {
    env = Map.copyOf(env);
  }
}
