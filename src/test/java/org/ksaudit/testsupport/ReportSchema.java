package org.ksaudit.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Reads the JSON ksaudit writes, and fails unless it follows the published schema
 * ({@code schema/ksaudit.schema.json}): every test that reads a JSON report reads it here.
 */
public final class ReportSchema {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchema SCHEMA = load(Path.of("schema/ksaudit.schema.json"), SpecVersion.VersionFlag.V202012);

  private ReportSchema() {}

  /** The document, once it is valid JSON that follows the schema. */
  public static JsonNode parse(String json) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + e.getOriginalMessage() + "\n" + json, e);
    }
    if (doc == null) throw new AssertionError("no JSON document: '" + json + "'");
    Set<ValidationMessage> errors = SCHEMA.validate(doc);
    if (!errors.isEmpty()) throw new AssertionError("does not follow schema/ksaudit.schema.json: " + errors + "\n" + json);
    return doc;
  }

  /** A schema file of the given draft, its {@code $ref}s resolved inside it. */
  public static JsonSchema load(Path file, SpecVersion.VersionFlag draft) {
    try (InputStream in = Files.newInputStream(file)) {
      return JsonSchemaFactory.getInstance(draft).getSchema(in);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the schema " + file + ": " + e.getMessage(), e);
    }
  }
}
