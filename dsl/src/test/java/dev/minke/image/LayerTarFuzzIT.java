package dev.minke.image;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.minke.os.FileTrees;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the layer tar readers (TESTING.md, Fuzzing): {@link LayerListing#read} and {@link
 * LayerApplier#apply} (through {@link GuardedTarInputStream}) on the same bytes.
 *
 * <p>Declared failures: {@link IOException} from reading, and from applying also {@link
 * UnsafeLayerException}. Anything else escaping is a finding, and so is any change outside the
 * root: the applier writes into {@code base/root}, next to sentinel files that must stay as they
 * were. Devices stay off so that a fuzzed layer never makes a node for a real disk on this host.
 */
class LayerTarFuzzIT {
  private static Path base;
  private static Path root;
  private static OutsideSentinels sentinels;

  @BeforeAll
  static void plantSentinels() throws IOException {
    base = Files.createTempDirectory("minke-tar-fuzz");
    root = base.resolve("root");
    sentinels = new OutsideSentinels(base, Files.createDirectory(root));
  }

  @AfterAll
  static void removeBase() throws IOException {
    FileTrees.delete(base);
  }

  @DictionaryFile(resourcePath = "tar.dict")
  @FuzzTest(maxDuration = "60s")
  void readAndApply(byte[] tar) throws IOException {
    try {
      LayerListing.read(new ByteArrayInputStream(tar)).sizeBytes();
    } catch (IOException declared) {
      // not a tar, or a broken one
    }
    applyBoth(tar);
  }

  private static void applyBoth(byte[] tar) throws IOException {
    for (ApplyOptions.Mode mode : ApplyOptions.Mode.values()) {
      emptyRoot();
      try {
        LayerApplier.apply(new ByteArrayInputStream(tar), root,
            ApplyOptions.defaults().withMode(mode).withAllowDevices(false));
      } catch (UnsafeLayerException | IOException declared) {
        // refused or unreadable; what was written stays inside the root
      }
      sentinels.assertUnchanged();
    }
  }

  /** Empties the root but keeps it, so that the base directory's own times stay as planted. */
  private static void emptyRoot() throws IOException {
    try (Stream<Path> children = Files.list(root)) {
      for (Path child : children.toList()) {
        FileTrees.delete(child);
      }
    }
  }
}
