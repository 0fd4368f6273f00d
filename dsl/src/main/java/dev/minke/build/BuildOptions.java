package dev.minke.build;

import dev.minke.image.LayerWriterOptions;
import dev.minke.image.MediaType.Compression;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * How to build: where the build context is, the timestamp every layer and the config carry
 * ({@code SOURCE_DATE_EPOCH}), how layers are compressed, build argument values, whether to
 * ignore the cache ({@code --no-cache}), who hears the build's events and the build secrets.
 */
public record BuildOptions(
    Path contextDir, long sourceDateEpochSeconds, Compression compression, Map<String, String> buildArgs,
    boolean noCache, BuildListener listener, Map<String, Path> secrets) {

  public BuildOptions {
    contextDir = contextDir.toAbsolutePath().normalize();
    if (sourceDateEpochSeconds < 0) {
      throw new IllegalArgumentException(
          "SOURCE_DATE_EPOCH must be 0 or more seconds since 1970, not " + sourceDateEpochSeconds);
    }
    buildArgs = java.util.Collections.unmodifiableMap(new TreeMap<>(buildArgs));
    listener = listener == null ? BuildListener.NONE : listener;
    secrets = secrets == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(secrets));
  }

  public BuildOptions(Path contextDir, long sourceDateEpochSeconds, Compression compression,
      Map<String, String> buildArgs, boolean noCache, BuildListener listener) {
    this(contextDir, sourceDateEpochSeconds, compression, buildArgs, noCache, listener, Map.of());
  }

  public BuildOptions(Path contextDir, long sourceDateEpochSeconds, Compression compression,
      Map<String, String> buildArgs) {
    this(contextDir, sourceDateEpochSeconds, compression, buildArgs, false, BuildListener.NONE);
  }

  /**
   * The context is the current directory, timestamps come from {@code SOURCE_DATE_EPOCH} (0 when
   * unset), layers are gzip-compressed, the cache is used, and no one listens.
   */
  public static BuildOptions defaults() {
    return new BuildOptions(
        Path.of(""), LayerWriterOptions.sourceDateEpoch(), Compression.GZIP, Map.of());
  }

  public BuildOptions withContextDir(Path dir) {
    return new BuildOptions(dir, sourceDateEpochSeconds, compression, buildArgs, noCache, listener, secrets);
  }

  public BuildOptions withSourceDateEpoch(long seconds) {
    return new BuildOptions(contextDir, seconds, compression, buildArgs, noCache, listener, secrets);
  }

  public BuildOptions withCompression(Compression newCompression) {
    return new BuildOptions(contextDir, sourceDateEpochSeconds, newCompression, buildArgs, noCache, listener, secrets);
  }

  /** Sets one build argument ({@code --build-arg NAME=value}). */
  public BuildOptions withBuildArg(String name, String value) {
    Map<String, String> args = new TreeMap<>(buildArgs);
    args.put(name, value);
    return new BuildOptions(contextDir, sourceDateEpochSeconds, compression, args, noCache, listener, secrets);
  }

  /** {@code --no-cache}: every step runs; the results still go into the cache for later builds. */
  public BuildOptions withNoCache(boolean newNoCache) {
    return new BuildOptions(contextDir, sourceDateEpochSeconds, compression, buildArgs, newNoCache, listener, secrets);
  }

  /**
   * A build secret ({@code --secret id=ID,src=FILE}): the file a {@code RUN
   * --mount=type=secret,id=ID} reads, read-only, during that step only. Its content is in no
   * layer, no cache key and no history.
   */
  public BuildOptions withSecret(String id, Path hostFile) {
    Map<String, Path> more = new TreeMap<>(secrets);
    more.put(id, hostFile.toAbsolutePath().normalize());
    return new BuildOptions(contextDir, sourceDateEpochSeconds, compression, buildArgs, noCache, listener, more);
  }

  /** Who receives the build's {@link BuildEvent}s. */
  public BuildOptions withListener(BuildListener newListener) {
    return new BuildOptions(contextDir, sourceDateEpochSeconds, compression, buildArgs, noCache, newListener, secrets);
  }
}
