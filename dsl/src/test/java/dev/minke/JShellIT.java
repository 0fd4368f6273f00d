package dev.minke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's JShell front end: `bin/minke shell` with the DSL imported and an offline busybox. */
class JShellIT {
  @TempDir Path home;
  @TempDir Path context;

  private String shell(String snippets) throws IOException, InterruptedException {
    Path repo = Path.of("").toAbsolutePath().getParent();
    ProcessBuilder builder = new ProcessBuilder(repo.resolve("bin/minke").toString(), "shell")
        .directory(context.toFile())
        .redirectErrorStream(true);
    builder.environment().put("MINKE_HOME", home.toString());
    Process process = builder.start();
    try {
      process.getOutputStream().write((snippets + "\n/exit\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "jshell did not exit:\n" + output);
      assertEquals(0, process.exitValue(), output);
      return output;
    } finally {
      process.destroyForcibly();
    }
  }

  @Test
  void shell_readmeQuickstart_buildsAndPrintsOneLine() throws Exception {
    Files.writeString(context.resolve("hello.txt"), "hello\n");
    String output = shell("""
        var img = from("busybox").workdir("/app").copy("hello.txt", "/app/").build()
        img.history().size()
        img.layer(1).diff()
        """);
    assertTrue(output.matches("(?s).*img ==> Image\\[<untagged> 2 layers [0-9.]+ [kM]B sha256:[0-9a-f]{12}….*"), output);
    assertTrue(output.contains("==> 4"), output);
    assertTrue(output.contains("LayerDiff[+2 ~0 -0"), output);
  }

  @Test
  void shell_stackIsMinkesStack_notJavaUtils() throws Exception {
    String output = shell("""
        Stack s = stack("demo").service(Service.of("web", "busybox").port("8080:80"))
        s.toCompose().contains("\\"8080:80\\"")
        """);
    assertFalse(output.contains("ambiguous"), output);
    assertTrue(output.contains("==> true"), output);
  }

  @Test
  void shell_runsAContainer_andReadsItsConfig() throws Exception {
    String output = shell("""
        image("busybox").run("sh", "-c", "echo inside $(hostname)")
        var c = image("busybox").start("sleep", "60")
        c.config().process().capabilities().bounding().size()
        c.exec("sh", "-c", "echo $$").exitCode()
        c.remove()
        """);
    assertTrue(output.contains("inside "), output);
    assertTrue(output.contains("RunResult[exit 0, inside "), output);
    assertTrue(output.matches("(?s).*c ==> Container\\[minke_[0-9a-f]{12} running busybox:latest sleep 60\\].*"), output);
    assertTrue(output.contains("==> 14"), output);
  }

  @Test
  void shell_error_isOneClearLineWithoutAStackTrace() throws Exception {
    String output = shell("from(\"nosuch\").build()");
    assertTrue(output.contains("ImageNotFoundException: no image \"nosuch:latest\" in the store (hint: "), output);
    assertFalse(output.contains("at dev.minke."), output);
  }
}
