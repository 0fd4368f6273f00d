package dev.minke.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Numbers worked by hand from dive's {@code dive/filetree/efficiency.go} and {@code
 * dive/image/analysis.go}.
 */
class EfficiencyTest {
  private static final LayerListing BUSYBOX_BASE =
      new TestTar().dir("bin").file("bin/sh", 1000, 's').listing();

  /*
   * Layer 0 (base): bin/ (dir, 0 B), bin/sh 1000 B
   * Layer 1:        data.bin 300 B
   * Layer 2:        data.bin 500 B (rewritten)
   * Layer 3:        .wh.data.bin (deleted)
   *
   * Per path (leaves of each layer only; bin/ has a child in layer 0, so it is skipped):
   *   bin/sh   : sizes [1000]        cumulative 1000, minimum 1000, count 1
   *   data.bin : sizes [300, 500, 0] cumulative  800, minimum    0, count 3
   *     (dive sizes a whiteout by walking the removed node only when it was a directory;
   *      a removed file therefore counts 0, not the 500 B it had.)
   * score        = Σ minimum / Σ cumulative = (1000 + 0) / (1000 + 800) = 5/9
   * wasted bytes = Σ cumulative of paths seen in >= 2 layers = 800
   * user size    = layers 1..3 = 300 + 500 + 0 = 800, so user wasted = 800 / 800 = 1.0
   */
  @Test
  void of_writtenRewrittenDeleted_matchesDive() {
    List<LayerListing> layers =
        List.of(
            BUSYBOX_BASE,
            new TestTar().file("data.bin", 300, 'a').listing(),
            new TestTar().file("data.bin", 500, 'b').listing(),
            new TestTar().whiteout("data.bin").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(5.0 / 9.0, efficiency.score(), 1e-12);
    assertEquals(800, efficiency.wastedBytes());
    assertEquals(1.0, efficiency.userWastedPercent(), 1e-12);
    assertEquals(List.of(new Inefficiency("data.bin", 3, 800)), efficiency.inefficiencies());
  }

  /*
   * Rewritten but kept: data.bin sizes [300, 500], cumulative 800, minimum 300.
   * dive's wasted bytes are the whole cumulative size, 800 (not 800 - 300 = 500).
   * score = (1000 + 300) / (1000 + 800) = 13/18; user wasted = 800 / (300 + 500) = 1.0
   */
  @Test
  void of_rewrittenFile_wastedIsWholeCumulativeSize() {
    List<LayerListing> layers =
        List.of(
            BUSYBOX_BASE,
            new TestTar().file("data.bin", 300, 'a').listing(),
            new TestTar().file("data.bin", 500, 'b').listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(13.0 / 18.0, efficiency.score(), 1e-12);
    assertEquals(800, efficiency.wastedBytes());
    assertEquals(1.0, efficiency.userWastedPercent(), 1e-12);
  }

  /*
   * dive's own TestEfficiency, as tars without directory entries:
   *   layer 0: etc/nginx/nginx.conf 2000, etc/nginx/public 3000
   *   layer 1: etc/nginx/nginx.conf 5000, etc/athing 10000
   *   layer 2: etc/.wh.nginx
   * etc/nginx exists below only as the parent of its files (no entry), so dive does not see a
   * directory and counts the whiteout 0. Minimum 2000 + 3000 + 10000 + 0 = 15000, cumulative
   * 7000 + 3000 + 10000 + 0 = 20000: score 0.75, one inefficiency nginx.conf 7000.
   */
  @Test
  void of_divesOwnTestCase_scoreThreeQuarters() {
    List<LayerListing> layers =
        List.of(
            new TestTar().file("etc/nginx/nginx.conf", 2000, 'a')
                .file("etc/nginx/public", 3000, 'b').listing(),
            new TestTar().file("etc/nginx/nginx.conf", 5000, 'c')
                .file("etc/athing", 10000, 'd').listing(),
            new TestTar().whiteout("etc/nginx").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(0.75, efficiency.score(), 1e-12);
    assertEquals(
        List.of(new Inefficiency("etc/nginx/nginx.conf", 2, 7000)), efficiency.inefficiencies());
    assertEquals(7000, efficiency.wastedBytes());
  }

  /*
   * With a directory entry below, the whiteout counts the directory and everything under it:
   *   layer 0: cache/ (0), cache/a 400, cache/b 600   -> cache/a, cache/b counted once each
   *   layer 1: .wh.cache                               -> cache counted 0 + 400 + 600 = 1000
   * Every path is seen in one layer only: no inefficiency, score (400 + 600 + 1000) / same = 1.
   */
  @Test
  void of_whiteoutOfDirectory_countsWholeRemovedTreeUnderItsOwnPath() {
    List<LayerListing> layers =
        List.of(
            new TestTar().dir("cache").file("cache/a", 400, 'a').file("cache/b", 600, 'b')
                .listing(),
            new TestTar().whiteout("cache").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(1.0, efficiency.score(), 1e-12);
    assertEquals(0, efficiency.wastedBytes());
    assertTrue(efficiency.inefficiencies().isEmpty());
  }

  /*
   * The directory whiteout meets its own path when the directory was a leaf before:
   *   layer 0: tmp/ (0, empty: a leaf, counted 0)
   *   layer 1: tmp/x 100 (tmp/ re-emitted as parent: not a leaf, skipped)
   *   layer 2: .wh.tmp -> tmp counted 0 + 100 = 100
   * tmp: sizes [0, 100], cumulative 100, minimum 0, count 2; tmp/x: [100].
   * score = (0 + 100) / (100 + 100) = 0.5, wasted = 100, user size = 100 + 0.
   */
  @Test
  void of_emptyDirectoryLaterWhitedOut_inefficientWithRemovedBytes() {
    List<LayerListing> layers =
        List.of(
            new TestTar().dir("tmp").listing(),
            new TestTar().dir("tmp").file("tmp/x", 100, 'x').listing(),
            new TestTar().whiteout("tmp").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(0.5, efficiency.score(), 1e-12);
    assertEquals(List.of(new Inefficiency("tmp", 2, 100)), efficiency.inefficiencies());
    assertEquals(1.0, efficiency.userWastedPercent(), 1e-12);
  }

  @Test
  void of_parentDirectoriesReemitted_notInefficient() {
    List<LayerListing> layers =
        List.of(
            new TestTar().dir("usr").dir("usr/bin").file("usr/bin/a", 10, 'a').listing(),
            new TestTar().dir("usr").dir("usr/bin").file("usr/bin/b", 20, 'b').listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertTrue(efficiency.inefficiencies().isEmpty(), efficiency.inefficiencies().toString());
    assertEquals(1.0, efficiency.score(), 1e-12);
  }

  @Test
  void of_emptyDirectoryInTwoLayers_listedWithZeroBytesLikeDive() {
    List<LayerListing> layers =
        List.of(new TestTar().dir("empty").listing(), new TestTar().dir("empty").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(List.of(new Inefficiency("empty", 2, 0)), efficiency.inefficiencies());
    assertEquals(1.0, efficiency.score(), 1e-12, "nothing sized: score 1");
  }

  @Test
  void of_nothingDiscovered_scoreOne() {
    Efficiency scratch = Efficiency.of(List.of(new TestTar().file("nothing", "").listing()));
    Efficiency none = Efficiency.of(List.of());

    assertEquals(1.0, scratch.score());
    assertEquals(1.0, none.score());
    assertEquals(0.0, none.userWastedPercent());
  }

  @Test
  void of_whiteoutOfMissingPath_notCounted() {
    List<LayerListing> layers =
        List.of(BUSYBOX_BASE, new TestTar().whiteout("ghost").listing(),
            new TestTar().whiteout("ghost").listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertTrue(efficiency.inefficiencies().isEmpty());
  }

  @Test
  void of_inefficiencies_sortedByBytesDescendingThenPath() {
    List<LayerListing> layers =
        List.of(
            new TestTar().file("b", 10, 'x').file("a", 10, 'x').file("c", 5, 'x').listing(),
            new TestTar().file("b", 10, 'y').file("a", 10, 'y').file("c", 50, 'y').listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(
        List.of(new Inefficiency("c", 2, 55), new Inefficiency("a", 2, 20),
            new Inefficiency("b", 2, 20)),
        efficiency.inefficiencies());
    assertEquals(95, efficiency.wastedBytes());
  }

  @Test
  void of_userWastedPercent_leavesOutTheBaseLayer() {
    // base.txt 1000 in the base and 1000 again in layer 1: wasted 2000, user size 1000 + 3000.
    List<LayerListing> layers =
        List.of(
            new TestTar().file("base.txt", 1000, 'a').listing(),
            new TestTar().file("base.txt", 1000, 'b').file("new.txt", 3000, 'c').listing());

    Efficiency efficiency = Efficiency.of(layers);

    assertEquals(2000, efficiency.wastedBytes());
    assertEquals(0.5, efficiency.userWastedPercent(), 1e-12);
  }

  @Test
  void toString_oneLine() {
    assertEquals(
        "Efficiency[100.00%, 0 B wasted, 0 inefficient paths]",
        Efficiency.of(List.of()).toString());
  }
}
