package dev.minke;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies between Minke's packages flow one way (DESIGN.md, "Layout"). */
class PackageDependencyTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import (?:static )?dev\\.minke\\.([a-z]+)\\.", Pattern.MULTILINE);

  /** Which dev.minke packages each package may import. error and os are leaves. */
  private static final Map<String, Set<String>> ALLOWED =
      Map.of(
          "error", Set.of(),
          "os", Set.of("error"),
          "image", Set.of("error", "os"),
          "registry", Set.of("error", "image"),
          "store", Set.of("error", "os", "image", "registry"),
          "runtime", Set.of("error", "os", "image", "store", "registry"),
          "build", Set.of("error", "os", "image", "store", "runtime", "registry"),
          "dsl", Set.of("error", "os", "image", "store", "runtime", "registry", "build"),
          "view", Set.of("error", "os", "image", "store", "runtime", "registry", "build", "dsl"),
          "cli", Set.of("error", "os", "image", "store", "runtime", "registry", "build", "dsl", "view"));

  @Test
  void imports_followTheLayering() throws IOException {
    Path root = Path.of("src/main/java/dev/minke");
    List<String> violations = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        Path relative = root.relativize(file);
        if (relative.getNameCount() < 2) {
          continue; // Minke.java, the facade, may import every package except cli.
        }
        String pkg = relative.getName(0).toString();
        Set<String> allowed = ALLOWED.get(pkg);
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
          String target = m.group(1);
          if (!target.equals(pkg) && (allowed == null || !allowed.contains(target))) {
            violations.add(relative + " imports dev.minke." + target);
          }
        }
      }
    }
    assertTrue(violations.isEmpty(), "layering violations:\n" + String.join("\n", violations));
  }

  @Test
  void facade_doesNotImportCli() throws IOException {
    String facade = Files.readString(Path.of("src/main/java/dev/minke/Minke.java"));
    assertTrue(!facade.contains("import dev.minke.cli."), "Minke.java must not import cli");
  }
}
