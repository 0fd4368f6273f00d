package dev.minke.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * What one layer tar contains: its entries by cleaned path, the paths it whites out, and the
 * directories it makes opaque.
 *
 * <p>{@code ignoredNames} lists raw entry names that were skipped because they mean nothing or
 * could mean harm: the root itself, {@code .wh.} with no name, whiteouts of {@code .} or {@code
 * ..}, and other {@code .wh..wh.} markers. Reading never writes to disk, so a hostile name can at
 * worst be cleaned or ignored.
 */
public record LayerListing(
    SortedMap<String, FileInfo> entries,
    SortedSet<String> whiteouts,
    SortedSet<String> opaqueDirs,
    List<String> ignoredNames) {

  public LayerListing {
    entries = Collections.unmodifiableSortedMap(new TreeMap<>(entries));
    whiteouts = Collections.unmodifiableSortedSet(new TreeSet<>(whiteouts));
    opaqueDirs = Collections.unmodifiableSortedSet(new TreeSet<>(opaqueDirs));
    ignoredNames = List.copyOf(ignoredNames);
    for (Map.Entry<String, FileInfo> entry : entries.entrySet()) {
      if (!entry.getKey().equals(entry.getValue().path())) {
        throw new IllegalArgumentException(
            "entry key \"" + entry.getKey() + "\" differs from its path "
                + entry.getValue().path());
      }
    }
    for (String path : whiteouts) {
      requireClean(path, false, "whiteout");
    }
    for (String path : opaqueDirs) {
      requireClean(path, true, "opaque dir");
    }
  }

  /**
   * Reads an uncompressed layer tar to its end; the caller closes the stream.
   *
   * @throws IOException if the stream fails or is not a tar
   */
  public static LayerListing read(InputStream uncompressedTar) throws IOException {
    try {
      return readGuarded(uncompressedTar);
    } catch (Refusal refused) {
      throw new IOException("refusing the layer: " + refused.reason());
    } catch (IllegalArgumentException malformed) {
      throw new IOException("not a tar archive: " + malformed.getMessage(), malformed);
    }
  }

  private static LayerListing readGuarded(InputStream uncompressedTar) throws IOException {
    TreeMap<String, FileInfo> entries = new TreeMap<>();
    TreeSet<String> whiteouts = new TreeSet<>();
    TreeSet<String> opaqueDirs = new TreeSet<>();
    List<String> ignored = new ArrayList<>();
    // Not closed: closing would close the caller's stream. Guarded: a layer from a registry may
    // declare a PAX header or long name of gigabytes, which a plain reader would buffer whole.
    TarArchiveInputStream tar = new GuardedTarInputStream(uncompressedTar);
    for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
      String path = TarPaths.clean(entry.getName());
      String name = TarPaths.name(path);
      if (path.isEmpty()) {
        ignored.add(entry.getName());
      } else if (name.equals(TarPaths.OPAQUE_MARKER)) {
        opaqueDirs.add(TarPaths.parent(path));
      } else if (name.startsWith(TarPaths.MARKER_PREFIX)) {
        ignored.add(entry.getName());
      } else if (name.startsWith(TarPaths.WHITEOUT_PREFIX)) {
        String deleted = name.substring(TarPaths.WHITEOUT_PREFIX.length());
        if (deleted.isEmpty() || deleted.equals(".") || deleted.equals("..")) {
          ignored.add(entry.getName()); // would delete the directory itself or its parent
        } else {
          whiteouts.add(TarPaths.join(TarPaths.parent(path), deleted));
        }
      } else {
        // A later entry for the same path replaces the earlier one, as extraction would.
        entries.put(path, info(path, entry, tar));
      }
    }
    return new LayerListing(entries, whiteouts, opaqueDirs, ignored);
  }

  /** The sum of the entries' sizes, as dive counts a layer's size. */
  public long sizeBytes() {
    long total = 0;
    for (FileInfo info : entries.values()) {
      total += info.sizeBytes();
    }
    return total;
  }

  private static FileInfo info(String path, TarArchiveEntry entry, InputStream data)
      throws IOException {
    MessageDigest sha256 = Digest.newSha256();
    try (OutputStream sink = new DigestOutputStream(OutputStream.nullOutputStream(), sha256)) {
      data.transferTo(sink); // the tar stream ends at this entry's last data byte
    }
    return new FileInfo(
        path,
        typeOf(entry),
        entry.getSize(),
        entry.getMode(),
        entry.getLongUserId(),
        entry.getLongGroupId(),
        entry.isSymbolicLink() || entry.isLink() ? entry.getLinkName() : "",
        Digest.ofSha256(sha256.digest()));
  }

  private static FileType typeOf(TarArchiveEntry entry) {
    // Links before isFile(): commons-compress calls any non-directory flag a "file".
    if (entry.isSymbolicLink()) {
      return FileType.SYMLINK;
    } else if (entry.isLink()) {
      return FileType.HARDLINK;
    } else if (entry.isDirectory()) {
      return FileType.DIRECTORY;
    } else if (entry.isCharacterDevice()) {
      return FileType.CHAR_DEVICE;
    } else if (entry.isBlockDevice()) {
      return FileType.BLOCK_DEVICE;
    } else if (entry.isFIFO()) {
      return FileType.FIFO;
    } else if (entry.isFile()) {
      return FileType.FILE;
    }
    return FileType.OTHER;
  }

  private static void requireClean(String path, boolean rootAllowed, String what) {
    if ((path.isEmpty() && !rootAllowed) || !TarPaths.isClean(path)) {
      throw new IllegalArgumentException(what + " path \"" + path + "\" is not clean");
    }
  }
}
