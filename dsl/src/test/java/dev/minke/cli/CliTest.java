package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `minke` verbs, run in-process against a temporary store. */
class CliTest {
  @TempDir Path home;
  @TempDir Path work;

  private record Result(int exitCode, String out, String err) {}

  @BeforeEach
  void useTemporaryStore() {
    System.setProperty("minke.home", home.toString());
    assertEquals(0, run("busybox").exitCode());
  }

  @AfterEach
  void forgetStore() {
    System.clearProperty("minke.home");
  }

  private static Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void images_listsTheBusyboxImage() {
    Result r = run("images");
    assertEquals(0, r.exitCode());
    assertTrue(r.out().startsWith("REPOSITORY"), r.out());
    assertTrue(r.out().contains("busybox     latest"), r.out());
  }

  @Test
  void history_printsNewestStepFirst() {
    String out = run("history", "busybox").out();
    assertTrue(out.indexOf("CMD [\"sh\"]") < out.indexOf("ADD busybox-static"), out);
  }

  @Test
  void inspect_printsDigestAndConfig() {
    String out = run("inspect", "busybox:latest").out();
    assertTrue(out.contains("\"Digest\" : \"sha256:"), out);
    assertTrue(out.contains("\"Cmd\" : [ \"sh\" ]"), out);
  }

  @Test
  void tagThenRmi_addsAndRemovesTheName() {
    assertEquals(0, run("tag", "busybox", "localhost:5000/me/box:1").exitCode());
    assertTrue(run("images").out().contains("localhost:5000/me/box"));
    Result rmi = run("rmi", "localhost:5000/me/box:1");
    assertTrue(rmi.out().contains("Untagged: localhost:5000/me/box:1"), rmi.out());
    assertTrue(!run("images").out().contains("localhost:5000/me/box"));
  }

  @Test
  void rmi_unknownImage_failsWithAHint() {
    Result r = run("rmi", "nosuch");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("no image \"nosuch:latest\""), r.err());
    assertTrue(r.err().contains("hint:"), r.err());
  }

  @Test
  void import_rootfsTarball_keepsModesAndOwners() throws Exception {
    Path rootfs = Files.createDirectories(work.resolve("rootfs/usr/bin"));
    Path tool = Files.writeString(rootfs.resolve("tool"), "#!/bin/sh\n");
    assertEquals(0, new ProcessBuilder("chmod", "4755", tool.toString()).start().waitFor());
    Path tar = work.resolve("rootfs.tar");
    Process p = new ProcessBuilder("tar", "-C", work.resolve("rootfs").toString(), "--owner=7", "--group=8",
        "-cf", tar.toString(), ".").inheritIO().start();
    assertEquals(0, p.waitFor());

    Result r = run("import", tar.toString(), "example.com/rootfs:1");
    assertEquals(0, r.exitCode(), r.err());
    Result history = run("history", "example.com/rootfs:1");
    assertTrue(history.out().contains("IMPORT rootfs.tar"), history.out());
    String listing = new String(new ProcessBuilder("tar", "-tvzf", home.resolve("blobs/sha256").resolve(
        layerHex("example.com/rootfs:1")).toString()).start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(listing.contains("-rwsr-xr-x 7/8"), listing);
  }

  private static String layerHex(String name) {
    String out = run("inspect", name).out();
    int layers = out.indexOf("\"layers\" : [");
    int digest = out.indexOf("sha256:", layers);
    return out.substring(digest + 7, digest + 71);
  }

  @Test
  void import_missingFile_failsNamingIt() {
    Result r = run("import", work.resolve("nope.tar").toString(), "x:1");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("nope.tar") && r.err().contains("does not exist"), r.err());
  }

  @Test
  void fsck_cleanStore_passes_andGcKeepsTaggedImages() {
    Result fsck = run("fsck");
    assertEquals(0, fsck.exitCode(), fsck.out());
    assertTrue(run("gc").out().startsWith("removed 0 blobs"));
    assertEquals(0, run("history", "busybox").exitCode());
  }

  @Test
  void unknownVerb_printsHowToGetHelp() {
    Result r = run("frobnicate");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("minke help"), r.err());
  }

  @Test
  void badUsage_printsTheUsageLine() {
    Result r = run("tag", "onlyone");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("usage: minke tag SOURCE TARGET"), r.err());
  }

  @Test
  void invalidReference_namesThePart() throws IOException {
    Result r = run("history", "Busybox");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().contains("invalid reference \"Busybox\""), r.err());
  }
}
