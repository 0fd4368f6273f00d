package dev.minke.build;

import dev.minke.image.LayerWriterOptions;
import dev.minke.image.MediaType.Compression;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to build: where the build context is, the timestamp every layer and the config carry
 * ({@code SOURCE_DATE_EPOCH}), how layers are compressed, and build argument values.
 */
public record BuildOptions(
    Path contextDir, long sourceDateEpochSeconds, Compression compression, Map<String, String> buildArgs) {

  public BuildOptions {
    contextDir = contextDir.toAbsolutePath().normalize();
    if (sourceDateEpochSeconds < 0) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH must be 0 or more seconds since 1970, not " + sourceDateEpochSeconds);
    }
    buildArgs = java.util.Collections.unmodifiableMap(new TreeMap<>(buildArgs));
  }

  /**
   * The context is the current directory, timestamps come from {@code SOURCE_DATE_EPOCH} (0 when
   * unset), layers are gzip-compressed.
   */
  public static BuildOptions defaults() {
    return new BuildOptions(
        Path.of(""), LayerWriterOptions.sourceDateEpoch(), Compression.GZIP, Map.of());
  }

  public BuildOptions withContextDir(Path dir) {
    return new BuildOptions(dir, sourceDateEpochSeconds, compression, buildArgs);
  }

  public BuildOptions withSourceDateEpoch(long seconds) {
    return new BuildOptions(contextDir, seconds, compression, buildArgs);
  }

  public BuildOptions withCompression(Compression newCompression) {
    return new BuildOptions(contextDir, sourceDateEpochSeconds, newCompression, buildArgs);
  }

  /** Sets one build argument ({@code --build-arg NAME=value}). */
  public BuildOptions withBuildArg(String name, String value) {
    Map<String, String> args = new TreeMap<>(buildArgs);
    args.put(name, value);
    return new BuildOptions(contextDir, sourceDateEpochSeconds, compression, args);
  }
}
