package org.ksaudit.oracle;

import java.nio.charset.Charset;
import org.ksaudit.model.Family;

/**
 * A ruleset to judge: its name (a path, or a path plus the mutation applied), its text, its
 * family, and the charset its bytes were decoded with, so the kernel tools get the very bytes
 * of the file back.
 */
public record RulesFile(String name, String text, Family family, Charset charset) {
  public byte[] bytes() {
    return text.getBytes(charset);
  }

  public RulesFile withName(String newName) {
    return new RulesFile(newName, text, family, charset);
  }

  public RulesFile withText(String newName, String newText) {
    return new RulesFile(newName, newText, family, charset);
  }
}
