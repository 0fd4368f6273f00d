package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** {@code minke volume create|ls|inspect|rm|prune} and {@code minke run -v|--mount|--tmpfs}, end to end. */
class VolumeCommandsIT {
  @TempDir Path home;
  @TempDir Path hostDir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void store() {
    System.setProperty("minke.home", home.toString());
    assertEquals(0, run("busybox"));
  }

  @AfterEach
  void cleanUp() {
    run("rm", "-f", "-v", "db");
    run("volume", "prune");
    System.clearProperty("minke.home");
  }

  private int run(String... args) {
    out.reset();
    err.reset();
    return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void volumeVerbs_followDockersLifecycle() {
    assertEquals(0, run("volume", "create", "dbdata"));
    assertEquals("dbdata\n", output());
    assertEquals(0, run("run", "--name", "db", "-v", "dbdata:/var/lib/db", "busybox", "sh", "-c",
        "echo row > /var/lib/db/data"));

    assertEquals(0, run("volume", "ls"));
    assertTrue(output().contains("dbdata") && output().contains("db"), output());
    assertEquals(0, run("volume", "inspect", "dbdata"));
    assertTrue(output().contains("\"mountpoint\" : \"" + home.resolve("volumes/dbdata/_data") + "\""), output());
    assertTrue(output().contains("\"containers\" : [ \"db\" ]"), output());

    assertEquals(1, run("volume", "rm", "dbdata"));
    assertTrue(errors().contains("volume dbdata is in use by container db"), errors());
    assertTrue(errors().contains("hint: remove the container first (`minke rm db`)"), errors());

    assertEquals(0, run("rm", "db"));
    assertEquals(0, run("run", "--rm", "--volume=dbdata:/var/lib/db:ro", "busybox", "cat", "/var/lib/db/data"));
    assertEquals("row\n", output());
    assertEquals(0, run("volume", "rm", "dbdata"));
    assertEquals(0, run("volume", "ls"));
    assertFalse(output().contains("dbdata"), output());
  }

  @Test
  void volumePrune_removesOnlyUnusedVolumes() {
    run("volume", "create", "unused");
    assertEquals(0, run("run", "--name", "db", "-v", "used:/x", "busybox", "true"));
    assertEquals(0, run("volume", "prune"));
    assertEquals("Deleted Volumes:\nunused\n", output());
    assertEquals(0, run("volume", "ls"));
    assertTrue(output().contains("used"), output());
  }

  @Test
  void runMount_bind_andTmpfs() throws Exception {
    Files.writeString(hostDir.resolve("index.html"), "hello\n");
    assertEquals(0, run("run", "--rm", "--mount", "type=bind,source=" + hostDir + ",target=/site,readonly",
        "--tmpfs", "/run:size=1m", "busybox", "sh", "-c", "cat /site/index.html; grep ' /run ' /proc/mounts"));
    assertTrue(output().startsWith("hello\ntmpfs /run tmpfs rw,nosuid,nodev,noexec"), output());
    assertTrue(output().contains("size=1024k"), output());
  }

  @Test
  void runMount_missingBindSource_failsClearly_andLeavesNothing() {
    Path missing = hostDir.resolve("missing");
    assertEquals(1, run("run", "--name", "db", "--mount", "type=bind,source=" + missing + ",target=/x", "busybox",
        "true"));
    assertTrue(errors().contains("bind source path does not exist: " + missing), errors());
    assertEquals(0, run("ps", "-a"));
    assertFalse(output().contains("db"), output());
    assertFalse(Files.exists(missing));
  }

  @Test
  void runVolume_badSpec_isAUsageError() {
    assertEquals(2, run("run", "-v", "v1:/data:bogus", "busybox", "true"));
    assertTrue(errors().contains("invalid mode \"bogus\""), errors());
  }

  @Test
  void rmWithV_removesAnonymousVolumes() {
    assertEquals(0, run("run", "--name", "db", "-v", "/anon", "-v", "named:/named", "busybox", "true"));
    assertEquals(0, run("volume", "ls"));
    assertEquals(3, output().lines().count(), output());
    assertEquals(0, run("rm", "-v", "db"));
    assertEquals(0, run("volume", "ls"));
    assertEquals(2, output().lines().count(), output());
    assertTrue(output().contains("named"), output());
  }
}
