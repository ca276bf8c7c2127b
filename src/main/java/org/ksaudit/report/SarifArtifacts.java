package org.ksaudit.report;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.ksaudit.report.SarifReport.ArtifactLocation;

/**
 * How a SARIF log names the files it points at: relative to {@code --sarif-base} (with the
 * {@code %SRCROOT%} base id GitHub resolves against the repository) when given; else a relative
 * name as given and an absolute one as a file URI.
 */
final class SarifArtifacts {
  private static final String SRCROOT = "%SRCROOT%";
  private final Optional<Path> base;

  SarifArtifacts(Optional<Path> base) {
    this.base = base.map(b -> b.toAbsolutePath().normalize());
  }

  ArtifactLocation artifact(String file) {
    Path p = Path.of(file);
    if (base.isPresent()) {
      Path abs = p.toAbsolutePath().normalize();
      if (abs.startsWith(base.get())) return new ArtifactLocation(uri(base.get().relativize(abs).toString()), SRCROOT);
      return new ArtifactLocation(abs.toUri().toString(), null);
    }
    if (p.isAbsolute()) return new ArtifactLocation(p.normalize().toUri().toString(), null);
    return new ArtifactLocation(uri(p.normalize().toString()), null);
  }

  /** The run's {@code originalUriBaseIds}: where {@code %SRCROOT%} is, or null (left out) without a base. */
  Map<String, ArtifactLocation> originalUriBaseIds() {
    return base.map(b -> Map.of(SRCROOT, new ArtifactLocation(b.toUri().toString(), null))).orElse(null);
  }

  /** A relative path as a URI reference: forward slashes, and every character a URI may not hold percent-encoded. */
  static String uri(String relative) {
    try {
      return new URI(null, null, relative.replace('\\', '/'), null).toASCIIString();
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot write " + relative + " as a URI: " + e.getMessage(), e);
    }
  }
}
