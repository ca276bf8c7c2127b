package org.ksaudit.report;

/**
 * A run that ended without its report, as JSON, so that a CI job parsing the output never
 * reads an empty file: {@code {"tool":"ksaudit","version":…,"error":{"message":…,"exitCode":n}}}.
 */
public final class ErrorReport {
  private ErrorReport() {}

  public static String json(String version, String message, int exitCode) {
    return new Json().raw("{").key("tool").str("ksaudit").comma().key("version").str(version).comma().key("error").raw("{")
        .key("message").str(message).comma().key("exitCode").num(exitCode).raw("}}").toString();
  }
}
