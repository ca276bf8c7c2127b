package org.ksaudit.testsupport;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.Set;

/** Reads SARIF ksaudit writes, and fails unless it follows the official SARIF 2.1.0 schema (draft-04, in testdata/sarif). */
public final class SarifSchema {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonSchema SCHEMA =
      ReportSchema.load(Path.of("testdata/sarif/sarif-schema-2.1.0.json"), SpecVersion.VersionFlag.V4);

  private SarifSchema() {}

  public static JsonNode parse(String sarif) {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(sarif);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + e.getOriginalMessage() + "\n" + sarif, e);
    }
    if (doc == null) throw new AssertionError("no SARIF document: '" + sarif + "'");
    Set<ValidationMessage> errors = SCHEMA.validate(doc);
    if (!errors.isEmpty()) throw new AssertionError("does not follow the SARIF 2.1.0 schema: " + errors);
    return doc;
  }
}
