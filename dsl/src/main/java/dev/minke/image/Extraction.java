package dev.minke.image;

import dev.minke.image.ApplyOptions.Mode;
import dev.minke.os.Posix;
import dev.minke.os.PosixException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * The state of one {@link LayerApplier#apply} run: writes entries one at a time inside the root
 * and remembers what must happen after the last one (directory modes and times).
 *
 * <p>An entry's name is cleaned, its parent resolved inside the root by {@link SafeResolver},
 * and its last component is never followed: every call on it is a no-follow call.
 */
final class Extraction {
  private static final Set<StandardOpenOption> CREATE_FILE =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

  // Nobody else can open a file while its content and mode are still being written.
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private record DirAttributes(int mode, FileTime accessTime, FileTime modifiedTime) {}

  private final SafeResolver resolver;
  private final Path root;
  private final ApplyOptions options;
  private final boolean runningAsRoot;
  private final WrittenPaths written;
  private final List<String> skipped = new ArrayList<>();
  private final MetadataWriter metadata;
  // Applied last: writing children changes a directory's mtime, and a read-only directory
  // would stop its own children from being written.
  private final Map<Path, DirAttributes> directories = new LinkedHashMap<>();
  private int files;
  private int dirs;
  private int symlinks;
  private int hardlinks;
  private int specials;
  private int whiteouts;
  private long totalBytes;

  Extraction(Path realRoot, ApplyOptions options, boolean runningAsRoot) {
    this.resolver = new SafeResolver(realRoot);
    this.root = realRoot;
    this.options = options;
    this.runningAsRoot = runningAsRoot;
    this.written = new WrittenPaths(realRoot);
    this.metadata = new MetadataWriter(runningAsRoot, skipped);
  }

  /** Applies one entry; {@code data} yields its content. */
  void apply(TarArchiveEntry entry, InputStream data, Map<String, byte[]> xattrs)
      throws IOException {
    EntryChecks.check(entry, options.maxEntryBytes());
    List<String> components = TarNames.entry(entry.getName());
    if (components.isEmpty()) {
      applyToRoot(entry, xattrs);
      return;
    }
    String base = components.get(components.size() - 1);
    Path parent = resolver.resolve(components.subList(0, components.size() - 1));
    if (Whiteouts.isWhiteout(base)) {
      whiteout(entry.getName(), parent, base, entry);
      return;
    }
    makeDirectories(parent);
    Path target = parent.resolve(base);
    switch (EntryChecks.kind(entry)) {
      case FILE -> writeFile(entry, data, target, xattrs);
      case DIRECTORY -> writeDirectory(entry, target, xattrs);
      case SYMLINK -> writeSymlink(entry, target, xattrs);
      case HARDLINK -> writeHardlink(entry, target);
      case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> writeNode(entry, target, xattrs);
      case OTHER -> metadata.skip(entry.getName(), "unsupported entry type '"
          + (char) entry.getLinkFlag() + "'");
    }
  }

  /** Applies directory modes and times, now that no child will be written any more. */
  ApplyReport finish() throws IOException {
    for (Map.Entry<Path, DirAttributes> d : directories.entrySet()) {
      Path dir = d.getKey();
      if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        metadata.mode(dir, d.getValue().mode());
        metadata.times(dir, d.getValue().accessTime(), d.getValue().modifiedTime());
      }
    }
    return new ApplyReport(
        files, dirs, symlinks, hardlinks, specials, whiteouts, totalBytes, skipped);
  }

  private void applyToRoot(TarArchiveEntry entry, Map<String, byte[]> xattrs) throws IOException {
    if (EntryChecks.kind(entry) != EntryChecks.Kind.DIRECTORY) {
      throw new Refusal("entry would replace the root directory");
    }
    // "./" carries the root's own mode and owner, as in every docker-save layer.
    writeDirectory(entry, root, xattrs);
  }

  private void whiteout(String entryName, Path parent, String base, TarArchiveEntry entry)
      throws IOException {
    boolean opaque = base.equals(Whiteouts.OPAQUE);
    String name = opaque ? null : Whiteouts.target(base);
    if (!opaque && name == null) {
      metadata.skip(entryName, "aufs metadata ignored");
      return;
    }
    whiteouts++;
    if (options.mode() == Mode.FLAT) {
      // A whiteout below a missing or non-directory parent has nothing to remove.
      if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      if (opaque) {
        Whiteouts.clearLowerChildren(parent, written);
      } else {
        Whiteouts.removeLower(parent.resolve(name), written);
      }
      forgetDirectoriesBelow(parent);
      return;
    }
    makeDirectories(parent);
    if (opaque) {
      Whiteouts.markOpaque(parent);
      return;
    }
    Path target = parent.resolve(name);
    if (written.isWritten(target)) {
      return; // This layer's own file already hides the lower one.
    }
    removeExisting(target, false);
    Whiteouts.markDeleted(target);
    metadata.owner(target, entry.getLongUserId(), entry.getLongGroupId());
  }

  private void writeFile(
      TarArchiveEntry entry, InputStream data, Path target, Map<String, byte[]> xattrs)
      throws IOException {
    removeExisting(target, false);
    try (OutputStream out =
        Channels.newOutputStream(
            Files.newByteChannel(
                target, CREATE_FILE, PosixFilePermissions.asFileAttribute(OWNER_ONLY)))) {
      totalBytes += data.transferTo(out);
    }
    files++;
    finishEntry(entry, target, xattrs, true);
  }

  private void writeDirectory(TarArchiveEntry entry, Path target, Map<String, byte[]> xattrs)
      throws IOException {
    if (!removeExisting(target, true)) {
      Files.createDirectory(target);
    }
    dirs++;
    written.add(target);
    metadata.owner(target, entry.getLongUserId(), entry.getLongGroupId());
    metadata.xattrs(entry.getName(), target, xattrs);
    directories.put(
        target,
        new DirAttributes(entry.getMode(), accessTime(entry), entry.getLastModifiedTime()));
  }

  private void writeSymlink(TarArchiveEntry entry, Path target, Map<String, byte[]> xattrs)
      throws IOException {
    String linkName = entry.getLinkName();
    TarNames.checkLength("symlink target", linkName);
    if (linkName.isEmpty()) {
      metadata.skip(entry.getName(), "symlink with an empty target");
      return;
    }
    removeExisting(target, false);
    // The target is stored as written and never followed here; SafeResolver re-roots it later.
    Files.createSymbolicLink(target, target.getFileSystem().getPath(linkName));
    symlinks++;
    finishEntry(entry, target, xattrs, false);
  }

  private void writeHardlink(TarArchiveEntry entry, Path target) throws IOException {
    String linkName = entry.getLinkName();
    TarNames.checkLength("hardlink target", linkName);
    List<String> components = TarNames.clamped(linkName);
    if (components.isEmpty()) {
      throw new Refusal("hardlink target is the root directory");
    }
    Path existingParent = resolver.resolve(components.subList(0, components.size() - 1));
    Path existing = existingParent.resolve(components.get(components.size() - 1));
    if (!resolver.contains(existing)) {
      throw new Refusal("hardlink target leaves the root");
    }
    BasicFileAttributes attrs =
        Files.isDirectory(existingParent, LinkOption.NOFOLLOW_LINKS)
            ? SafeResolver.lstat(existing)
            : null;
    if (attrs == null) {
      throw new Refusal("hardlink target \"" + UnsafeLayerException.printable(linkName)
          + "\" does not exist");
    }
    if (attrs.isDirectory()) {
      throw new Refusal("hardlink target is a directory");
    }
    hardlinks++;
    if (existing.equals(target)) {
      return; // Linking a file to itself: it is already there.
    }
    removeExisting(target, false);
    // link(2) does not follow a symlink: a link to a symlink is a second name for the symlink.
    // Metadata belongs to the shared inode, which its own entry already set.
    Files.createLink(target, existing);
    written.add(target);
  }

  private void writeNode(TarArchiveEntry entry, Path target, Map<String, byte[]> xattrs)
      throws IOException {
    if (!runningAsRoot || !options.allowDevices()) {
      metadata.skip(entry.getName(), !runningAsRoot
          ? "device node skipped: not running as root"
          : "device node skipped: devices not allowed");
      return;
    }
    removeExisting(target, false);
    Posix.NodeType type = switch (EntryChecks.kind(entry)) {
      case CHAR_DEVICE -> Posix.NodeType.CHAR;
      case BLOCK_DEVICE -> Posix.NodeType.BLOCK;
      default -> Posix.NodeType.FIFO;
    };
    try {
      Posix.mknod(target, type, 0600, entry.getDevMajor(), entry.getDevMinor());
    } catch (PosixException e) {
      if (!e.isPermissionDenied()) {
        throw e;
      }
      metadata.skip(entry.getName(), "device node skipped: " + e.getMessage());
      return;
    }
    specials++;
    finishEntry(entry, target, xattrs, true);
  }

  /** Owner, xattrs, mode (after chown, which clears setuid bits), then times. */
  private void finishEntry(
      TarArchiveEntry entry, Path target, Map<String, byte[]> xattrs, boolean hasMode)
      throws IOException {
    written.add(target);
    metadata.owner(target, entry.getLongUserId(), entry.getLongGroupId());
    metadata.xattrs(entry.getName(), target, xattrs);
    if (hasMode) {
      metadata.mode(target, entry.getMode());
    }
    metadata.times(target, accessTime(entry), entry.getLastModifiedTime());
  }

  /**
   * Clears the way for a new entry at {@code target}: anything there goes, unless both it and
   * the new entry are directories. Returns whether a directory was kept.
   */
  private boolean removeExisting(Path target, boolean keepDirectory) throws IOException {
    BasicFileAttributes attrs = SafeResolver.lstat(target);
    if (attrs == null) {
      return false;
    }
    if (keepDirectory && attrs.isDirectory()) {
      return true;
    }
    Whiteouts.deleteTree(target);
    if (attrs.isDirectory()) {
      forgetDirectoriesBelow(target);
    }
    return false;
  }

  /** Creates the missing directories of a resolved parent, refusing non-directories. */
  private void makeDirectories(Path parent) throws IOException {
    Path path = root;
    for (Path part : root.relativize(parent)) {
      if (part.toString().isEmpty()) {
        continue;
      }
      path = path.resolve(part.toString());
      BasicFileAttributes attrs = SafeResolver.lstat(path);
      if (attrs == null) {
        try {
          Files.createDirectory(path);
        } catch (FileAlreadyExistsException e) {
          throw new Refusal("parent \"" + root.relativize(path) + "\" changed while extracting");
        }
      } else if (!attrs.isDirectory()) {
        throw new Refusal("parent \"" + root.relativize(path) + "\" is not a directory");
      }
    }
  }

  private void forgetDirectoriesBelow(Path path) {
    directories.keySet().removeIf(d -> d.startsWith(path) && !d.equals(root));
  }

  private static FileTime accessTime(TarArchiveEntry entry) {
    FileTime atime = entry.getLastAccessTime();
    return atime != null ? atime : entry.getLastModifiedTime();
  }
}
