package org.ksaudit.cli;

import java.io.InputStream;
import java.io.PrintWriter;

/** The standard streams of one CLI run. */
public record Streams(InputStream in, PrintWriter out, PrintWriter err) {}
