package dev.minke.build;

import dev.minke.image.DirectoryLayerOptions;
import dev.minke.image.DirectoryLayers;
import dev.minke.image.EntryType;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.os.Interrupts;
import dev.minke.store.BlobWriter;
import dev.minke.store.Operation;
import dev.minke.store.StoreIOException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executes a copy step: selects the sources in the context or in another stage ({@link
 * SourceTree}), places them as Docker's COPY does, and writes them as one deterministic layer
 * into the store.
 */
final class CopyLayer {
  private final Operation operation;
  private final StageState state;
  private final BuildOptions options;

  CopyLayer(Operation operation, StageState state, BuildOptions options) {
    this.operation = operation;
    this.state = state;
    this.options = options;
  }

  /** Writes the layer of {@code entries} (from {@link #entries}) and applies them to the filesystem view. */
  LayerBlob write(CopyStep step, List<LayerEntry> entries) {
    LayerWriterOptions writerOptions = LayerWriterOptions.defaults()
        .withCompression(options.compression())
        .withMtimeEpochSeconds(options.sourceDateEpochSeconds());
    try (BlobWriter out = operation.newWriter()) {
      LayerBlob blob = new LayerWriter(writerOptions).write(entries, out);
      out.commit();
      state.filesystem().applyEntries(entries);
      return blob;
    } catch (IOException e) {
      throw new StoreIOException("writing the layer of " + step.createdBy() + " into", options.contextDir(), e);
    }
  }

  /**
   * The layer's entries: parents of the destination, then the copied files (later wins). Reads
   * only metadata; contents stay on disk until the layer is written.
   */
  List<LayerEntry> entries(CopyStep step, SourceTree tree) {
    String stepText = step.createdBy();
    ImageFilesystem fs = state.filesystem();
    String workdir = state.config().config().workingDir();
    String destination = ContainerPaths.resolve(workdir, step.destination());
    List<CopySources.Source> sources = new ArrayList<>();
    step.sources().forEach(s -> sources.addAll(tree.find(s)));
    String target = fs.resolveDirectory(destination.substring(1));
    ImageFilesystem.Node existing = fs.get(target);
    // Docker copies into the destination when it names a directory: a trailing "/", ".", a
    // directory the image already has, or several sources.
    boolean intoDirectory = step.destination().endsWith("/") || step.destination().endsWith("/.")
        || step.destination().equals(".") || target.isEmpty()
        || (existing != null && existing.type() == EntryType.DIRECTORY)
        || sources.size() > 1 || sources.stream().anyMatch(CopySources.Source::directory);
    DirectoryLayerOptions placement = placement(step, fs, stepText);

    Map<String, LayerEntry> byPath = new LinkedHashMap<>();
    try {
      for (CopySources.Source source : sources) {
        if (source.directory()) {
          String prefix = source.relativePath().isEmpty() ? "" : source.relativePath() + "/";
          DirectoryLayerOptions dirOptions = placement.withDestination(target)
              .withPreserveOwnership(tree.preserveOwnership())
              .withFilter(rel -> !tree.excludes(prefix + rel));
          for (LayerEntry e : DirectoryLayers.entries(source.hostPath(), dirOptions)) {
            Interrupts.checkpoint("selecting the files of " + stepText); // a big tree takes a while
            byPath.put(e.path(), e);
          }
        } else {
          String name = source.hostPath().getFileName().toString();
          String filePath = intoDirectory ? join(target, name) : target;
          LayerEntry file = LayerEntry.file(filePath, source.hostPath(), Files.size(source.hostPath()));
          ImageFilesystem.Node known = tree.metadata(source);
          file = file.withMode(placement.modeOverride().orElse(known == null ? hostMode(source) : known.mode()));
          if (placement.ownerOverride().isPresent()) {
            file = file.withOwner(placement.ownerOverride().get().uid(), placement.ownerOverride().get().gid());
          } else if (known != null) {
            file = file.withOwner(known.uid(), known.gid());
          }
          byPath.put(file.path(), file);
          captureAccountFile(file, source);
        }
      }
    } catch (IOException e) {
      throw new BuildInputException(stepText, "cannot read the sources: " + e.getMessage(),
          "check that the files exist and are readable", e);
    }
    keepExistingDirectoryMetadata(byPath, fs);
    List<LayerEntry> entries = new ArrayList<>(parents(byPath.keySet(), fs));
    entries.addAll(byPath.values());
    return entries;
  }

  private DirectoryLayerOptions placement(CopyStep step, ImageFilesystem fs, String stepText) {
    DirectoryLayerOptions placement = DirectoryLayerOptions.defaults();
    if (step.options().chown() != null) {
      Ownership owner = Ownership.resolve(step.options().chown(), fs, stepText);
      placement = placement.withOwnerOverride(owner.uid(), owner.gid());
    }
    if (step.options().chmod() != null) {
      placement = placement.withModeOverride(step.options().chmod());
    }
    return placement;
  }

  /**
   * A directory the image already has keeps its mode and owner: copying into {@code /tmp} must
   * not turn its 1777 into 0755.
   */
  private static void keepExistingDirectoryMetadata(Map<String, LayerEntry> byPath, ImageFilesystem fs) {
    byPath.replaceAll((path, e) -> {
      ImageFilesystem.Node existing = fs.get(path);
      if (e.type() == EntryType.DIRECTORY && existing != null && existing.type() == EntryType.DIRECTORY) {
        return e.withMode(existing.mode()).withOwner(existing.uid(), existing.gid());
      }
      return e;
    });
  }

  /** Directory entries for every missing ancestor, with the image's metadata where it has one. */
  private static List<LayerEntry> parents(java.util.Set<String> paths, ImageFilesystem fs) {
    java.util.SortedSet<String> ancestors = new java.util.TreeSet<>();
    for (String path : paths) {
      for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
        String ancestor = path.substring(0, slash);
        if (!paths.contains(ancestor)) {
          ancestors.add(ancestor);
        }
      }
    }
    List<LayerEntry> dirs = new ArrayList<>();
    for (String ancestor : ancestors) {
      ImageFilesystem.Node existing = fs.get(ancestor);
      LayerEntry dir = LayerEntry.directory(ancestor);
      if (existing != null && existing.type() == EntryType.DIRECTORY) {
        dir = dir.withMode(existing.mode()).withOwner(existing.uid(), existing.gid());
      }
      dirs.add(dir);
    }
    return dirs;
  }

  private void captureAccountFile(LayerEntry file, CopySources.Source source) throws IOException {
    if (file.path().equals("etc/passwd") || file.path().equals("etc/group")) {
      state.filesystem().setAccountFile(file.path(),
          new String(Files.readAllBytes(source.hostPath()), StandardCharsets.UTF_8));
    }
  }

  private static int hostMode(CopySources.Source source) throws IOException {
    return (Integer) Files.getAttribute(source.hostPath(), "unix:mode") & 07777;
  }

  private static String join(String dir, String name) {
    return dir.isEmpty() ? name : dir + "/" + name;
  }
}
