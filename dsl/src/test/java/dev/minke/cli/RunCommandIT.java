package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `minke run`: Docker's flags, the container's output on stdout, its exit code as ours. */
class RunCommandIT {
  @TempDir Path home;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void store() {
    System.setProperty("minke.home", home.toString());
    assertEquals(0, run("busybox"));
  }

  @AfterEach
  void forget() {
    System.clearProperty("minke.home");
  }

  private int run(String... args) {
    out.reset();
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void run_printsTheOutput_andRemovesTheContainerWithRm() throws Exception {
    assertEquals(0, run("run", "--rm", "--hostname", "web", "-e", "A=1", "-w", "/tmp", "busybox",
        "sh", "-c", "echo $(hostname) $A $(pwd)"));
    assertEquals("web 1 /tmp\n", output());
    try (var dirs = Files.list(home.resolve("containers"))) {
      assertEquals(0, dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).count());
    }
  }

  @Test
  void run_exitCode_isTheContainers() {
    assertEquals(7, run("run", "--rm", "busybox", "sh", "-c", "exit 7"));
    assertEquals(127, run("run", "--rm", "busybox", "no-such-command"));
  }

  @Test
  void run_memoryLimit_killsAHogWith137() {
    assertEquals(137, run("run", "--rm", "--memory", "16m", "busybox", "tail", "/dev/zero"));
  }

  @Test
  void run_unknownImage_failsWithAHint() {
    assertEquals(1, run("run", "--rm", "nosuch", "true"));
  }
}
