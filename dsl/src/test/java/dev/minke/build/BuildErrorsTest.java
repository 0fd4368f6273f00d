package dev.minke.build;

import static dev.minke.Minke.chown;
import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Stage;
import dev.minke.error.MinkeException;
import dev.minke.store.ImageNotFoundException;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets an error naming the problem and the fix, and the store stays as it was. */
class BuildErrorsTest {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private String before;

  @BeforeEach
  void setUp() throws IOException {
    store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("app.txt"), "app\n");
    Files.writeString(context.resolve(".dockerignore"), "secret.txt\n");
    Files.writeString(context.resolve("secret.txt"), "secret\n");
    before = TestStores.snapshotOf(store);
  }

  private MinkeException failBuilding(Stage stage) {
    MinkeException e = assertThrows(MinkeException.class,
        () -> stage.context(context).buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0)));
    assertEquals(before, TestStores.snapshotOf(store), "a failed build must leave the store as it was");
    assertTrue(!e.hint().isEmpty(), "every error carries a hint: " + e.getMessage());
    return e;
  }

  @Test
  void build_missingCopySource_namesTheSource() {
    MinkeException e = failBuilding(from("busybox").copy("nope.txt", "/app/"));
    assertTrue(e.problem().contains("\"nope.txt\" not found"), e.problem());
  }

  @Test
  void build_sourceOutsideContext_isRefused() {
    MinkeException e = failBuilding(from("busybox").copy("../etc/passwd", "/app/"));
    assertTrue(e.problem().contains("outside the build context"), e.problem());
  }

  @Test
  void build_symlinkLeavingTheContext_isRefused() throws IOException {
    Files.createSymbolicLink(context.resolve("escape"), Path.of("/etc/hostname"));
    MinkeException e = failBuilding(from("busybox").copy("escape", "/app/"));
    assertTrue(e.problem().contains("outside the build context"), e.problem());
  }

  @Test
  void build_sourceExcludedByDockerignore_saysSo() {
    MinkeException e = failBuilding(from("busybox").copy("secret.txt", "/app/"));
    assertTrue(e.problem().contains(".dockerignore"), e.problem());
  }

  @Test
  void build_unknownBaseImage_namesIt() {
    MinkeException e = failBuilding(from("nosuch/image:1.0").copy("app.txt", "/app/"));
    assertTrue(e instanceof ImageNotFoundException);
    assertTrue(e.problem().contains("nosuch/image:1.0"), e.problem());
  }

  @Test
  void build_unknownChownUser_namesTheUser() {
    MinkeException e = failBuilding(from("busybox").copy(chown("ghost"), "app.txt", "/app/"));
    assertTrue(e.problem().contains("\"ghost\""), e.problem());
  }

  @Test
  void build_failingAfterALayerWasWritten_removesThatLayer() {
    failBuilding(from("busybox").copy("app.txt", "/app/").copy("nope.txt", "/app/"));
  }

  @Test
  void build_wildcardMatchingNothing_saysSo() {
    MinkeException e = failBuilding(from("busybox").copy("*.jar", "/app/"));
    assertTrue(e.problem().contains("no files in the build context match"), e.problem());
  }

  @Test
  void build_badVariableSyntax_namesTheStep() {
    MinkeException e = failBuilding(from("busybox").arg("V").env("X", "${V"));
    assertTrue(e.problem().startsWith("ENV X=${V"), e.problem());
  }
}
