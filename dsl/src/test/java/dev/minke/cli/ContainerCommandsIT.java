package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The container verbs end to end: run -d, ps, exec, diff, logs, stop, commit, rm. */
class ContainerCommandsIT {
  @TempDir Path home;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void store() {
    System.setProperty("minke.home", home.toString());
    assertEquals(0, run("busybox"));
  }

  @AfterEach
  void cleanUp() {
    run("rm", "-f", "web");
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
  void detachedContainer_goesThroughDockersLifecycle() {
    assertEquals(0, run("run", "-d", "--name", "web", "--init", "busybox", "sh", "-c", "echo up; sleep 60"));
    String id = output().trim();
    assertEquals(64, id.length(), output());

    assertEquals(0, run("ps"));
    assertTrue(output().contains("web") && output().contains("Up"), output());

    assertEquals(0, run("exec", "web", "sh", "-c", "echo hi > /greeting; echo $$"));
    assertEquals(0, run("diff", "web"));
    assertTrue(output().contains("A /greeting"), output());

    assertEquals(0, run("stop", "-t", "5", "web"));
    assertEquals(0, run("ps", "-a"));
    assertTrue(output().contains("Exited (143)"), output());
    assertEquals(0, run("logs", "web"));
    assertEquals("up\n", output());

    assertEquals(0, run("commit", "web", "demo/web:1"));
    assertEquals(0, run("run", "--rm", "demo/web:1", "cat", "/greeting"));
    assertEquals("hi\n", output());

    assertEquals(0, run("rm", "web"));
    assertEquals(0, run("ps", "-a"));
    assertTrue(!output().contains("web"), output());
  }

  @Test
  void kill_withASignalName_andWait_printTheExitCode() {
    assertEquals(0, run("run", "-d", "--name", "web", "busybox", "sleep", "60"));
    assertEquals(0, run("kill", "-s", "KILL", "web"));
    assertEquals(0, run("wait", "web"));
    assertEquals("137\n", output());
  }

  @Test
  void rm_runningWithoutForce_isRefused() {
    assertEquals(0, run("run", "-d", "--name", "web", "busybox", "sleep", "60"));
    assertEquals(1, run("rm", "web"));
    assertEquals(2, run("kill", "-s", "NOSUCH", "web"));
  }
}
