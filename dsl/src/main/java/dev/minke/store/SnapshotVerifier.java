package dev.minke.store;

import dev.minke.image.Compressions;
import dev.minke.image.FileInfo;
import dev.minke.image.FileType;
import dev.minke.image.LayerListing;
import dev.minke.image.MediaType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Compares an unpacked snapshot with the layer it came from: every entry there, right type and size. */
final class SnapshotVerifier {
  private static final int MAX_REPORTED = 5;

  private final Store store;

  SnapshotVerifier(Store store) {
    this.store = store;
  }

  /** What is wrong with the snapshot, at most a few lines; empty when it matches its layer. */
  List<String> verify(SnapshotStore.SnapshotInfo info, Path fs) {
    LayerListing listing;
    try (InputStream raw = store.blobs().open(info.layerDigest());
        InputStream tar = Compressions.decompress(raw, MediaType.compressionOf(info.layerMediaType()))) {
      listing = LayerListing.read(tar);
    } catch (IOException | RuntimeException e) {
      return List.of("cannot read its layer " + info.layerDigest() + ": " + e.getMessage());
    }
    List<String> wrong = new ArrayList<>();
    for (FileInfo entry : listing.entries().values()) {
      String problem = compare(entry, fs.resolve(entry.path()));
      if (problem != null && wrong.size() < MAX_REPORTED) {
        wrong.add("/" + entry.path() + " " + problem);
      }
    }
    for (String deleted : listing.whiteouts()) {
      if (!Files.exists(fs.resolve(deleted), LinkOption.NOFOLLOW_LINKS) && wrong.size() < MAX_REPORTED) {
        wrong.add("/" + deleted + " whiteout is missing");
      }
    }
    return wrong;
  }

  private static String compare(FileInfo entry, Path path) {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return "is missing";
    }
    try {
      if (entry.type() == FileType.DIRECTORY && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
        return "should be a directory";
      }
      if (entry.type() == FileType.SYMLINK && !Files.isSymbolicLink(path)) {
        return "should be a symlink";
      }
      if ((entry.type() == FileType.FILE || entry.type() == FileType.HARDLINK)
          && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) && entry.type() == FileType.FILE
          && Files.size(path) != entry.sizeBytes()) {
        return "has " + Files.size(path) + " bytes, the layer has " + entry.sizeBytes();
      }
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
    return null;
  }
}
