package org.ksaudit.report;

/**
 * A run that ended without its report, as JSON, so that a CI job parsing the output never
 * reads an empty file: {@code {"tool":"ksaudit","version":…,"schemaVersion":1,"error":{"message":…,"exitCode":n}}}.
 */
public final class ErrorReport {
  private ErrorReport() {}

  public static String json(String version, String message, int exitCode) {
    return JsonOutput.write(new Document("ksaudit", version, JsonOutput.SCHEMA_VERSION, new Error(message, exitCode)));
  }

  record Document(String tool, String version, int schemaVersion, Error error) {}

  /** Why the run stopped, and its exit code. */
  record Error(String message, int exitCode) {}
}
