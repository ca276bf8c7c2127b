package org.ksaudit.report;

import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.ksaudit.lab.Exec;
import org.ksaudit.testsupport.Host;

/**
 * Debian's headless Chromium, one launch per page: it renders the page to a PNG, dumps the DOM
 * after loading, and logs every console message on standard error ({@code --enable-logging=stderr},
 * lines with {@code :CONSOLE}); no name resolves ({@code --host-resolver-rules}), so nothing
 * the page might request could leave the machine. A script can be added to a copy of a page:
 * the page's Content-Security-Policy then allows exactly that script, by its hash.
 */
final class HeadlessChromium {
  static final String BINARY = "chromium";

  /** What one launch gave: the DOM after loading, the console's messages, and the screenshot. */
  record Rendered(String dom, List<String> console, BufferedImage screenshot) {
    /** How many colours the screenshot shows: a blank page has one. */
    int colours() {
      Set<Integer> seen = new HashSet<>();
      for (int y = 0; y < screenshot.getHeight(); y += 2) for (int x = 0; x < screenshot.getWidth(); x += 2) seen.add(screenshot.getRGB(x, y));
      return seen.size();
    }
  }

  private HeadlessChromium() {}

  /** Skips (fails under CI=true, whose .ci/run installs it) when chromium is not on PATH. */
  static void require() {
    if (Exec.onPath(BINARY)) return;
    String why = "needs '" + BINARY + "' on PATH (install: apt-get install -y chromium)";
    if (Host.inCi()) fail("CI=true but the browser test cannot run: " + why);
    System.out.println("HtmlBrowserTest skipped: " + why);
    Assumptions.abort("skipped: " + why);
  }

  /** The page with these scripts added at the end of its body, each allowed by the page's policy through its hash. */
  static String withScripts(String html, String... scripts) {
    StringBuilder hashes = new StringBuilder();
    StringBuilder tags = new StringBuilder();
    for (String s : scripts) {
      hashes.append(" 'sha256-").append(sha256(s)).append('\'');
      tags.append("<script>").append(s).append("</script>");
    }
    String policy = "default-src 'none'; style-src 'unsafe-inline'";
    if (!html.contains(policy) || !html.contains("</body>")) throw new IllegalArgumentException("not a page of HtmlReport");
    return html.replace(policy, policy + "; script-src" + hashes).replace("</body>", tags + "</body>");
  }

  static Rendered render(String html) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("ksaudit-chromium");
    try {
      Path page = dir.resolve("page.html");
      Path png = dir.resolve("page.png");
      Files.writeString(page, html, StandardCharsets.UTF_8);
      List<String> command = List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
          "--user-data-dir=" + dir.resolve("profile"), "--no-first-run", "--disable-extensions", "--enable-logging=stderr", "--v=0",
          "--host-resolver-rules=MAP * ~NOTFOUND", "--window-size=1000,1400", "--screenshot=" + png, "--dump-dom",
          page.toUri().toString());
      Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("dom.html").toFile())
          .redirectError(dir.resolve("stderr.txt").toFile()).start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        fail("chromium did not finish within 90 s");
      }
      List<String> console = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("stderr.txt"), StandardCharsets.UTF_8)) if (line.contains(":CONSOLE")) console.add(line);
      if (p.exitValue() != 0 || !Files.exists(png)) fail("chromium failed (exit " + p.exitValue() + "): " + Files.readString(dir.resolve("stderr.txt")));
      return new Rendered(Files.readString(dir.resolve("dom.html"), StandardCharsets.UTF_8), console, ImageIO.read(png.toFile()));
    } finally {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path f : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
      }
    }
  }

  private static String sha256(String s) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
