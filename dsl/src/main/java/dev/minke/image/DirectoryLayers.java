package dev.minke.image;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lists a host directory tree as layer entries: modes, links, devices and hardlinks kept, file
 * bytes left on disk until the layer is written.
 *
 * <p>Symlinks are never followed and sockets are skipped (tar cannot hold them). Files that
 * share an inode become one {@link EntryType#FILE} at the first path in layer order and
 * {@link EntryType#HARDLINK}s to it at the others. Timestamps are not read at all: the layer
 * writer gives every entry the same mtime. The parents of the destination are not listed; the
 * caller adds them when the layer must create them.
 */
public final class DirectoryLayers {
  private static final String UNIX_ATTRIBUTES = "unix:mode,ino,dev,nlink,uid,gid,rdev,size";

  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFIFO = 0010000;

  private DirectoryLayers() {}

  /**
   * Replaces one listed entry with the entries the layer holds for it, reading more from the
   * host path when it must; how an overlayfs upper directory turns its markers into whiteouts.
   */
  @FunctionalInterface
  interface EntryMapper {
    /** Keeps the entry as listed. */
    EntryMapper IDENTITY = (hostPath, entry) -> List.of(entry);

    List<LayerEntry> map(Path hostPath, LayerEntry entry) throws IOException;
  }

  /** The entries for {@code sourceDir} and everything under it, in layer order. */
  public static List<LayerEntry> entries(Path sourceDir, DirectoryLayerOptions options)
      throws IOException {
    return entries(sourceDir, options, EntryMapper.IDENTITY);
  }

  /**
   * As {@link #entries(Path, DirectoryLayerOptions)}, with every listed entry passed through
   * {@code mapper}. A mapped entry still takes part in hardlink detection when it is the same
   * regular file at the same path.
   */
  static List<LayerEntry> entries(Path sourceDir, DirectoryLayerOptions options, EntryMapper mapper)
      throws IOException {
    if (!Files.isDirectory(sourceDir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException("not a directory: " + sourceDir);
    }
    List<Listed> listed = new ArrayList<>();
    Files.walkFileTree(
        sourceDir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            String relative = relative(sourceDir, dir);
            if (!relative.isEmpty() && !options.filter().test(relative)) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            add(dir, relative);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            String relative = relative(sourceDir, file);
            if (options.filter().test(relative)) {
              add(file, relative);
            }
            return FileVisitResult.CONTINUE;
          }

          private void add(Path path, String relative) throws IOException {
            String layerPath = join(options.destination(), relative);
            if (!layerPath.isEmpty()) {
              Listed entry = list(path, layerPath, options);
              if (entry != null) {
                for (LayerEntry mapped : mapper.map(path, entry.entry())) {
                  boolean sameFile =
                      mapped.type() == EntryType.FILE && mapped.path().equals(layerPath);
                  listed.add(new Listed(mapped, sameFile ? entry.inode() : null));
                }
              }
            }
          }
        });
    return linkHardlinks(listed);
  }

  /** One listed path; {@code inode} is set for regular files with more than one link. */
  private record Listed(LayerEntry entry, InodeKey inode) {}

  private record InodeKey(long dev, long ino) {}

  private static Listed list(Path path, String layerPath, DirectoryLayerOptions options)
      throws IOException {
    Map<String, Object> unix = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    int mode = (Integer) unix.get("mode");
    int format = mode & S_IFMT;
    long rdev = (Long) unix.get("rdev");
    EntryType type =
        switch (format) {
          case S_IFREG -> EntryType.FILE;
          case S_IFDIR -> EntryType.DIRECTORY;
          case S_IFLNK -> EntryType.SYMLINK;
          case S_IFCHR -> EntryType.CHAR_DEVICE;
          case S_IFBLK -> EntryType.BLOCK_DEVICE;
          case S_IFIFO -> EntryType.FIFO;
          case S_IFSOCK -> null; // a socket is a live endpoint, not content
          default -> throw new IOException(
              "unknown file type 0" + Integer.toOctalString(format) + " of " + path);
        };
    if (type == null) {
      return null;
    }
    boolean file = type == EntryType.FILE;
    boolean symlink = type == EntryType.SYMLINK;
    boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
    // Linux reports 0777 for every symlink and ignores it; --chmod does not apply to links.
    int entryMode = symlink ? 0777 : options.modeOverride().orElse(mode & 07777);
    long uid = 0;
    long gid = 0;
    if (options.ownerOverride().isPresent()) {
      uid = options.ownerOverride().get().uid();
      gid = options.ownerOverride().get().gid();
    } else if (options.preserveOwnership()) {
      uid = ((Integer) unix.get("uid")) & 0xFFFF_FFFFL;
      gid = ((Integer) unix.get("gid")) & 0xFFFF_FFFFL;
    }
    // The one entry built once: each with* call would validate the path again.
    LayerEntry entry =
        new LayerEntry(
            layerPath,
            type,
            entryMode,
            uid,
            gid,
            file ? (Long) unix.get("size") : 0,
            symlink ? Files.readSymbolicLink(path).toString() : "",
            device ? major(rdev) : 0,
            device ? minor(rdev) : 0,
            options.readXattrs() && !symlink ? Xattrs.read(path) : null,
            file ? EntryContent.of(path) : null);
    boolean linked = file && (Integer) unix.get("nlink") > 1;
    InodeKey inode = linked ? new InodeKey((Long) unix.get("dev"), (Long) unix.get("ino")) : null;
    return new Listed(entry, inode);
  }

  /** Sorts the entries and turns every later path of a shared inode into a hardlink. */
  private static List<LayerEntry> linkHardlinks(List<Listed> listed) {
    Map<InodeKey, String> firstPath = new HashMap<>();
    List<LayerEntry> entries = new ArrayList<>(listed.size());
    for (Listed l : LayerEntryOrder.sortBy(listed, l -> l.entry.path())) {
      LayerEntry entry = l.entry;
      if (l.inode != null) {
        String first = firstPath.putIfAbsent(l.inode, entry.path());
        if (first != null) {
          entry =
              new LayerEntry(entry.path(), EntryType.HARDLINK, entry.mode(), entry.uid(),
                  entry.gid(), 0, first, 0, 0, null, null);
        }
      }
      entries.add(entry);
    }
    return entries;
  }

  private static String relative(Path root, Path path) {
    Path relative = root.relativize(path);
    StringBuilder s = new StringBuilder();
    for (Path name : relative) {
      if (s.length() > 0) {
        s.append('/');
      }
      s.append(name);
    }
    return s.toString();
  }

  private static String join(String destination, String relative) {
    if (destination.isEmpty()) {
      return relative;
    }
    return relative.isEmpty() ? destination : destination + "/" + relative;
  }

  /** Linux's dev_t encoding (glibc gnu_dev_major). */
  private static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  private static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
