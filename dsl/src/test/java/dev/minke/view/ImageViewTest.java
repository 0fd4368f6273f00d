package dev.minke.view;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image view of a real build on busybox: header, layers, cache verdicts, waste, escaping. */
class ImageViewTest {
  private static final String HOSTILE = "<img src=x onerror=alert(1)>";

  @TempDir static Path home;
  @TempDir static Path context;
  private static Store store;
  private static Image built;
  private static Image rebuilt;

  @BeforeAll
  static void build() throws IOException {
    store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("big.bin"), "x".repeat(5000));
    Files.writeString(context.resolve("note.txt"), "v1\n");
    Files.writeString(context.resolve("note2.txt"), "version two\n");
    var stage = from("busybox").workdir("/app").copy("big.bin", "note.txt", "./")
        .copyText("evil", "/app/" + HOSTILE).env("A", "1").copy("note2.txt", "/app/note.txt").context(context);
    built = stage.buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
    rebuilt = stage.buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> layers(Map<String, Object> json) {
    return (List<Map<String, Object>>) json.get("layers");
  }

  @Test
  void bundle_hasPlainHtmlJsonAndSvg_allStatic() {
    MimeBundle bundle = ImageView.bundle(built);
    assertEquals(List.of(MimeBundle.TEXT_PLAIN, MimeBundle.TEXT_HTML, MimeBundle.JSON, MimeBundle.SVG),
        List.copyOf(bundle.data().keySet()));
    Views.assertStatic(bundle);
    assertEquals(4, bundle.html().split("<details", -1).length - 1 - 1, "4 layers + the build steps");
  }

  @Test
  void json_carriesLayersVerdictsCountsAndWaste() {
    Map<String, Object> json = Views.roundTrip(ImageView.bundle(built));
    assertEquals(built.digest().toString(), json.get("digest"));
    assertEquals(4, json.get("layerCount"));
    assertEquals(5, json.get("steps"));
    assertEquals(0, json.get("cacheHits"));
    assertEquals(15, json.get("wastedBytes"));
    List<Map<String, Object>> layers = layers(json);
    assertEquals("BASE", layers.get(0).get("verdict"));
    assertEquals("base image", layers.get(0).get("reason"));
    assertEquals("BUILT", layers.get(1).get("verdict"));
    assertEquals("COPY big.bin note.txt ./", layers.get(1).get("createdBy"));
    assertEquals(1, layers.get(3).get("modified"));
    assertEquals(built.layer(3).compressedSizeBytes(), ((Number) layers.get(3).get("sizeBytes")).longValue());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> waste = (List<Map<String, Object>>) json.get("inefficiencies");
    assertEquals("app/note.txt", waste.get(0).get("path"));
  }

  @Test
  void rebuild_showsEveryStepCached() {
    MimeBundle bundle = ImageView.bundle(rebuilt);
    Map<String, Object> json = Views.roundTrip(bundle);
    assertEquals(5, json.get("cacheHits"));
    assertEquals("CACHED", layers(json).get(2).get("verdict"));
    assertEquals("cache hit", layers(json).get(2).get("reason"));
    assertTrue(bundle.html().contains("5/5 steps cached"), bundle.html());
    assertTrue(bundle.plain().contains("cache: 5/5 steps cached"), bundle.plain());
  }

  @Test
  void lookedUpImage_hasNoBuildRecord() {
    Image looked = Image.lookup(store, Reference.parse("busybox"));
    MimeBundle bundle = ImageView.bundle(looked);
    Views.assertStatic(bundle);
    Map<String, Object> json = Views.roundTrip(bundle);
    assertEquals(0, json.get("steps"));
    assertEquals("UNKNOWN", layers(json).get(0).get("verdict"));
    assertEquals("busybox:latest", json.get("reference"));
    assertTrue(bundle.html().contains("no build record"));
  }

  @Test
  void hostileFileName_isEscapedInHtml_andKeptInJson() {
    MimeBundle bundle = ImageView.bundle(built);
    assertFalse(bundle.html().contains("<img"), "raw tag in HTML");
    assertTrue(bundle.html().contains("&lt;img src=x onerror=alert(1)&gt;"));
    assertTrue(layers(Views.roundTrip(bundle)).get(2).toString().contains("app/" + HOSTILE));
  }

  @Test
  void renders_areDeterministic_andPlainAndJsonHoldNoTimes() {
    MimeBundle once = ImageView.bundle(built);
    MimeBundle again = ImageView.bundle(Image.of(store, built.manifestDescriptor(), null));
    assertEquals(once, ImageView.bundle(built));
    assertEquals(again, ImageView.bundle(Image.of(store, built.manifestDescriptor(), null)));
    // A value read again from the store has no steps, but its layers and waste read the same.
    assertEquals(layers(once.json()).get(3).get("changes"), layers(again.json()).get(3).get("changes"));
    assertFalse(Pattern.compile("\\d+ ?ms\\b").matcher(once.plain() + once.json()).find(), once.plain());
    assertTrue(once.html().contains(" ms)"), "durations appear in HTML only");
  }

  @Test
  void layerView_isTheRowOpened() {
    MimeBundle bundle = LayerView.bundle(built.layer(1));
    Views.assertStatic(bundle);
    assertTrue(bundle.html().startsWith("<details open=\"open\""), bundle.html());
    Map<String, Object> json = Views.roundTrip(bundle);
    assertEquals(1, json.get("index"));
    assertEquals(built.layer(1).chainId().toString(), json.get("chainId"));
    assertTrue(MimeBundles.of(built.layer(1)).isPresent());
    assertTrue(MimeBundles.of(built.layer(1).diff()).isPresent());
    assertTrue(MimeBundles.of(built).isPresent());
  }
}
