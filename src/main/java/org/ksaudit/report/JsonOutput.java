package org.ksaudit.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON writer of ksaudit: records in, one line of JSON out, with terminal-safe escapes.
 * Every JSON document carries {@link #SCHEMA_VERSION}, the version of {@code schema/ksaudit.schema.json}
 * it follows.
 */
public final class JsonOutput {
  /** Raised whenever a field is renamed, removed or changes its meaning; adding an optional field keeps it. */
  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper MAPPER = JsonMapper.builder(
      new JsonFactory().setCharacterEscapes(new TerminalSafeEscapes())).build();

  private JsonOutput() {}

  /** {@code document} as one line of JSON. */
  public static String write(Object document) {
    try {
      return MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      // the documents are records of strings, numbers and lists: nothing in them can fail to serialise
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
