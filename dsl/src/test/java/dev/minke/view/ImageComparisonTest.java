package dev.minke.view;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.Minke;
import dev.minke.build.BuildOptions;
import dev.minke.build.TestStores;
import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two images side by side: shared bottom layers, own layers, the disk sharing saves. */
class ImageComparisonTest {
  @TempDir static Path home;
  @TempDir static Path context;
  private static Store store;
  private static Image busybox;
  private static Image app;
  private static Image other;

  @BeforeAll
  static void build() throws IOException {
    store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("a.txt"), "a".repeat(3000));
    Files.writeString(context.resolve("b.txt"), "b".repeat(2000));
    BuildOptions options = BuildOptions.defaults().withSourceDateEpoch(0);
    var common = from("busybox").copy("a.txt", "/srv/").context(context);
    app = common.copy("b.txt", "/srv/").buildIn(store, options);
    other = common.copyText("hello", "/srv/hello.txt").buildIn(store, options);
    busybox = Image.lookup(store, Reference.parse("busybox"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> layers(Map<String, Object> json, String which) {
    return (List<Map<String, Object>>) ((Map<String, Object>) json.get(which)).get("layers");
  }

  @Test
  void siblings_shareTheirCommonBottomLayers() {
    ImageComparison comparison = Minke.compare(app, other);
    assertEquals(2, comparison.sharedLayers());
    long shared = app.layer(0).compressedSizeBytes() + app.layer(1).compressedSizeBytes();
    assertEquals(shared, comparison.sharedBytes());
    assertEquals(shared, comparison.savedBytes());
    assertEquals(app.compressedSizeBytes() + other.compressedSizeBytes() - shared, comparison.storedBytes());
    MimeBundle bundle = comparison.bundle();
    Views.assertStatic(bundle);
    Map<String, Object> json = Views.roundTrip(bundle);
    assertEquals(2, json.get("sharedLayers"));
    assertEquals(1, ((Map<?, ?>) json.get("first")).get("ownLayers"));
    assertEquals("SHARED", layers(json, "second").get(1).get("sharing"));
    assertEquals("OWN", layers(json, "second").get(2).get("sharing"));
    assertEquals(2, bundle.data().get(MimeBundle.SVG).toString().split("<polygon", -1).length - 1);
    assertTrue(comparison.toString().startsWith("ImageComparison[<untagged> vs <untagged>: 2 shared layers"),
        comparison.toString());
  }

  @Test
  void baseAndChild_shareTheBase_only() {
    ImageComparison comparison = ImageComparison.of(busybox, app);
    assertEquals(1, comparison.sharedLayers());
    assertEquals(busybox.compressedSizeBytes(), comparison.savedBytes());
    Map<String, Object> json = Views.roundTrip(comparison.bundle());
    assertEquals(0, ((Map<?, ?>) json.get("first")).get("ownLayers"));
    assertEquals(2, ((Map<?, ?>) json.get("second")).get("ownLayers"));
    assertTrue(comparison.bundle().html().contains("busybox:latest vs &lt;untagged&gt;"));
  }

  @Test
  void sameFilesAtAnotherHeight_areSharedContent_notLayers() {
    Image scratchCopy = Minke.scratch().copy("a.txt", "/srv/").context(context)
        .buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    ImageComparison comparison = ImageComparison.of(scratchCopy, app);
    assertEquals(0, comparison.sharedLayers());
    Map<String, Object> json = Views.roundTrip(comparison.bundle());
    if (scratchCopy.layer(0).diffId().equals(app.layer(1).diffId())) {
      assertEquals("CONTENT", layers(json, "first").get(0).get("sharing"));
      assertEquals(1, layers(json, "first").get(0).get("otherIndex"));
      assertTrue(comparison.bundle().data().get(MimeBundle.SVG).toString().contains("stroke-dasharray"));
    }
    Views.assertStatic(comparison.bundle());
  }

  @Test
  void bundle_isDeterministic() {
    assertEquals(ImageComparison.of(app, other).bundle(), ImageComparison.of(app, other).bundle());
    assertTrue(MimeBundles.of(ImageComparison.of(app, other)).isPresent());
  }
}
