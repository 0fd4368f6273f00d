package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN --mount=type=secret: a read-only file for one step, in no layer, cache key or history. */
class RunMountSecretIT {
  private static final String SECRET = "s3cr3t-value-do-not-leak";

  @TempDir Path home;
  @TempDir Path context;
  @TempDir Path secrets;
  private Store store;
  private Path token;

  @BeforeEach
  void setUp() throws IOException {
    store = TestStores.withBusybox(home);
    token = secrets.resolve("token.txt");
    Files.writeString(token, SECRET);
  }

  private BuildOptions options() {
    return BuildOptions.defaults().withSourceDateEpoch(0).withContextDir(context).withSecret("token", token);
  }

  private static Descriptor last(Image image) {
    List<Descriptor> layers = image.manifest().layers();
    return layers.get(layers.size() - 1);
  }

  private static final Stage STAGE = from("busybox").run(RunFlags.defaults().withSecret("token"),
      "cat /run/secrets/token > /dev/null && test -s /run/secrets/token"
          + " && stat -c %a /run/secrets/token > /mode && (echo x > /run/secrets/token && echo rw || echo ro) > /rw");

  @Test
  void secret_isReadableDuringTheStep_andInNoLayerOrHistory() throws IOException {
    Image image = STAGE.context(context).buildIn(store, options());
    Descriptor layer = last(image);
    assertEquals("400\n", RunStepIT.fileText(store, layer, "mode"));
    assertEquals("ro\n", RunStepIT.fileText(store, layer, "rw"));
    LayerListing listing = TestStores.listing(store, layer);
    assertEquals(java.util.Set.of("mode", "rw"), listing.entries().keySet(), listing.toString());
    String createdBy = image.steps().get(0).createdBy();
    assertTrue(createdBy.startsWith("RUN --mount=type=secret,id=token cat /run/secrets/token"), createdBy);
    assertFalse(createdBy.contains(SECRET));
    for (Descriptor d : image.manifest().layers()) {
      assertFalse(new String(store.blobs().open(d.digest()).readAllBytes(), StandardCharsets.ISO_8859_1)
          .contains(SECRET));
    }
    assertFalse(image.config().toString().contains(SECRET));
    assertEquals(SECRET, Files.readString(token), "the host file is untouched");
  }

  @Test
  void secret_changedContentAlone_keepsTheCache() throws IOException {
    STAGE.context(context).buildIn(store, options());
    Files.writeString(token, "another value");
    Image again = STAGE.context(context).buildIn(store, options());
    assertEquals(Verdict.CACHED, again.steps().get(0).verdict());
  }

  @Test
  void secret_missing_namesTheIdAndWithSecret() {
    BuildInputException e = assertThrows(BuildInputException.class, () -> from("busybox")
        .run(RunFlags.defaults().withSecret("npmrc"), "true").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0)));
    String text = e.problem() + " " + e.hint();
    assertTrue(text.contains("npmrc") && text.contains("withSecret"), text);
  }

  @Test
  void dockerfile_secretMount_withTarget() throws IOException {
    String dockerfile = """
        FROM busybox
        RUN --mount=type=secret,id=token,target=/etc/app/token wc -c < /etc/app/token > /size
        """;
    DockerfileBuild translated = DockerfileBuild.of(DockerfileStages.parse(dockerfile), Map.of());
    BuildResult result = new Builder(store).build(translated.stages(), translated.target(null), options());
    List<Descriptor> layers = result.manifest().layers();
    Descriptor layer = layers.get(layers.size() - 1);
    assertEquals(SECRET.length() + "\n", RunStepIT.fileText(store, layer, "size").strip() + "\n");
    LayerListing listing = TestStores.listing(store, layer);
    assertEquals(java.util.Set.of("size"), listing.entries().keySet(), listing.toString());
    assertEquals("RUN --mount=type=secret,id=token,target=/etc/app/token wc -c < /etc/app/token > /size",
        result.steps().get(0).createdBy());
  }
}
