package dev.minke.build;

import dev.minke.image.Digest;
import dev.minke.image.EntryType;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.OverlayUpperDir;
import dev.minke.image.OverlayUpperOptions;
import dev.minke.os.FileTrees;
import dev.minke.runtime.BuildContainer;
import dev.minke.runtime.DockerDefaults;
import dev.minke.runtime.ImageAccounts;
import dev.minke.runtime.RootfsPlan;
import dev.minke.runtime.RunResult;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.store.BlobWriter;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Executes a RUN step: a container on an overlay whose lower directories are the parent image's
 * snapshots and whose upper directory, once the command has exited 0, is turned into the step's
 * layer (overlay whiteouts become OCI whiteouts).
 *
 * <p>Normalized so that the same command on the same parent gives the same layer: every mtime is
 * {@code SOURCE_DATE_EPOCH} (the writer stores one), entries are sorted, atime, ctime and
 * overlay's own xattrs are dropped, the hostname is fixed, and the empty mount-point directories
 * the runtime makes for {@code /proc}, {@code /dev} and {@code /sys} in an image without them are
 * removed. A missing workdir is created (0755, root) as Docker does, and is part of the layer.
 */
final class RunLayer {
  /** The command exited with a non-zero code; the builder turns this into the public error. */
  static final class Failed extends RuntimeException {
    final int exitCode;
    final List<String> lastLines;

    Failed(int exitCode, List<String> lastLines) {
      super("exit code " + exitCode, null, false, false);
      this.exitCode = exitCode;
      this.lastLines = lastLines;
    }
  }

  private final Store store;
  private final Operation operation;
  private final StageState state;
  private final BuildOptions options;

  RunLayer(Store store, Operation operation, StageState state, BuildOptions options) {
    this.store = store;
    this.operation = operation;
    this.state = state;
    this.options = options;
  }

  LayerBlob write(RunInput input, OutputLines output) {
    if (state.layers().isEmpty()) {
      throw new BuildInputException(input.text(), "there is nothing to run: the stage is empty scratch",
          "start from an image with a shell (from(\"busybox\")) or copy a program in first");
    }
    List<String> lowers = lowerLinks();
    Path dir = operation.newScratchDirectory("run-");
    Path upper = dir.resolve("upper");
    try {
      Files.createDirectories(upper);
      createWorkdir(upper, input);
      RootfsPlan rootfs = new RootfsPlan(store.snapshots().linkDir(), lowers, upper, dir.resolve("work"),
          dir.resolve("rootfs"));
      ImageFilesystem fs = state.filesystem();
      try (RunMounts mounts = RunMounts.prepare(store.home(), dir, input, options)) {
        BuildContainer.BuildProcess process = new BuildContainer.BuildProcess(input.argv(), input.processEnv(),
            input.workdir(), input.user(), new ImageAccounts(fs.passwd(), fs.group()),
            !input.network().equals("default") && !input.network().equals("host"), mounts.specMounts());
        RunResult result = BuildContainer.run(store.home(), dir, rootfs, process, output);
        output.finish();
        if (result.exitCode() != 0) {
          throw new Failed(result.exitCode(), output.lastLines());
        }
      }
      removeMountStubs(upper, fs);
      RunMounts.removeStubs(upper, fs, input.mounts());
      return writeLayer(upper, input, fs);
    } catch (IOException e) {
      throw new StoreIOException("running " + input.text() + " in", dir, e);
    } finally {
      try {
        FileTrees.delete(dir);
      } catch (IOException e) {
        // The operation's scratch cleanup tries again.
      }
    }
  }

  /** The parent's snapshots as short link names, topmost first, as overlayfs lists them. */
  private List<String> lowerLinks() {
    operation.prepareSnapshots(state.manifestSoFar(), state.config());
    List<String> lowers = new ArrayList<>();
    for (Digest chainId : state.config().rootfs().chainIds()) {
      lowers.add(0, store.snapshots().link(chainId));
    }
    return lowers;
  }

  /**
   * Makes the workdir in the upper directory where the image lacks it, with its existing
   * ancestors given their metadata from the image (an upper directory's mode and owner win in
   * the overlay), since minke-init, unlike runc, does not create a missing cwd.
   */
  private void createWorkdir(Path upper, RunInput input) throws IOException {
    ImageFilesystem fs = state.filesystem();
    String resolved = fs.resolveDirectory(input.workdir().substring(1));
    if (resolved.isEmpty() || fs.get(resolved) != null) {
      if (!resolved.isEmpty() && fs.get(resolved).type() != EntryType.DIRECTORY) {
        throw new BuildInputException(input.text(), "the workdir " + input.workdir() + " is not a directory",
            "choose another workdir");
      }
      return;
    }
    String path = "";
    for (String part : resolved.split("/")) {
      path = path.isEmpty() ? part : path + "/" + part;
      ImageFilesystem.Node node = fs.get(path);
      Path dir = upper.resolve(path);
      if (node != null && node.type() != EntryType.DIRECTORY) {
        throw new BuildInputException(input.text(), "cannot create the workdir " + input.workdir() + ": /" + path
            + " is not a directory", "choose another workdir");
      }
      Files.createDirectory(dir);
      Files.setAttribute(dir, "unix:mode", node == null ? 0755 : node.mode());
      if (node != null) {
        Files.setAttribute(dir, "unix:uid", (int) node.uid());
        Files.setAttribute(dir, "unix:gid", (int) node.gid());
      }
    }
  }

  /** Empty directories the runtime made to mount /proc, /dev or /sys on, where the image had none. */
  private static void removeMountStubs(Path upper, ImageFilesystem fs) throws IOException {
    for (RuntimeSpec.Mount mount : DockerDefaults.mounts()) {
      String name = mount.destination().substring(1);
      Path stub = upper.resolve(name);
      if (name.contains("/") || fs.get(name) != null || !Files.isDirectory(stub)) {
        continue;
      }
      try (Stream<Path> children = Files.list(stub)) {
        if (children.findAny().isEmpty()) {
          Files.delete(stub);
        }
      }
    }
  }

  private LayerBlob writeLayer(Path upper, RunInput input, ImageFilesystem fs) throws IOException {
    List<LayerEntry> entries = RunMounts.withoutCopiedUpParents(
        OverlayUpperDir.entries(upper, OverlayUpperOptions.defaults()), fs, input.mounts());
    LayerWriterOptions writerOptions = LayerWriterOptions.defaults()
        .withCompression(options.compression())
        .withMtimeEpochSeconds(options.sourceDateEpochSeconds());
    try (BlobWriter out = operation.newWriter()) {
      LayerBlob blob = new LayerWriter(writerOptions).write(entries, out);
      out.commit();
      return blob;
    }
  }
}
