package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelJsonTest {
  @Test
  void interruptsByMessage_andStartsTheKernelMain() {
    JsonObject spec = JsonParser.parseString(
        KernelJson.of(Path.of("/k"), List.of("a.jar", "b.jar"), Path.of("/k/minke.jsa"))).getAsJsonObject();
    assertEquals("message", spec.get("interrupt_mode").getAsString(), "a SIGINT would kill the JVM");
    assertEquals("Minke (Java)", spec.get("display_name").getAsString());
    assertEquals("java", spec.get("language").getAsString());
    String argv = spec.get("argv").toString();
    assertTrue(argv.contains("\"/k/lib/a.jar:/k/lib/b.jar\""), argv);
    assertTrue(argv.contains("-XX:SharedArchiveFile=/k/minke.jsa"), argv);
    assertTrue(argv.endsWith("\"dev.minke.kernel.KernelMain\",\"{connection_file}\"]"), argv);
  }

  @Test
  void withoutAnArchive_noSharingFlags() {
    String json = KernelJson.of(Path.of("/k"), List.of("a.jar"), null);
    assertTrue(!json.contains("SharedArchiveFile"), json);
  }
}
