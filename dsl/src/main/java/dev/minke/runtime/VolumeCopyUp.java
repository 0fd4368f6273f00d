package dev.minke.runtime;

import dev.minke.image.LowerLayers;
import dev.minke.os.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills an empty volume with what the image has at its mount point, as Docker does on a
 * volume's first mount: files, directories, symlinks, hardlinks and device nodes with their
 * owners, modes and times, read from the image's snapshots merged as overlayfs merges them
 * (topmost first; whiteouts and opaque directories hide what is below).
 *
 * <p>A mount point the image reaches only through a symlink is treated as absent: nothing is
 * followed, in the image or in the volume.
 */
final class VolumeCopyUp {
  private static final String UNIX = "unix:mode,uid,gid,rdev,dev,ino,nlink,lastModifiedTime,lastAccessTime";
  private static final int S_IFMT = 0170000;
  private static final int S_IFCHR = 0020000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFIFO = 0010000;

  private final List<Path> layersTopFirst;
  private final LowerLayers merged;
  private final boolean root = Posix.isRoot();
  /** (dev, inode) of a copied file with several links → its copy, so hardlinks stay hardlinks. */
  private final Map<String, Path> linked = new HashMap<>();

  private VolumeCopyUp(List<Path> layersTopFirst) {
    this.layersTopFirst = List.copyOf(layersTopFirst);
    this.merged = LowerLayers.onDisk(layersTopFirst);
  }

  /**
   * Copies the image's directory {@code containerPath} (absolute) into {@code dataDir}, and gives
   * {@code dataDir} its owner and mode. Returns whether the image had a directory there.
   */
  static boolean copy(List<Path> layersTopFirst, String containerPath, Path dataDir) throws IOException {
    VolumeCopyUp copy = new VolumeCopyUp(layersTopFirst);
    String rel = containerPath.substring(1);
    Path top = copy.winner(rel);
    if (top == null || !Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    copy.copyChildren(rel, dataDir);
    copy.attributes(top, dataDir, readUnix(top));
    return true;
  }

  private void copyChildren(String dir, Path dest) throws IOException {
    for (String name : merged.children(dir)) {
      String rel = dir + "/" + name;
      Path source = winner(rel);
      if (source != null) {
        copyEntry(rel, source, dest.resolve(name));
      }
    }
  }

  private void copyEntry(String rel, Path source, Path dest) throws IOException {
    Map<String, Object> unix = readUnix(source);
    int mode = (Integer) unix.get("mode");
    int format = mode & S_IFMT;
    if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectory(dest);
      copyChildren(rel, dest);
    } else if (Files.isSymbolicLink(source)) {
      Files.createSymbolicLink(dest, Files.readSymbolicLink(source));
    } else if (Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      String inode = unix.get("dev") + ":" + unix.get("ino");
      Path first = (Integer) unix.get("nlink") > 1 ? linked.putIfAbsent(inode, dest) : null;
      if (first != null) {
        Files.createLink(dest, first);
        return; // the first copy has the attributes
      }
      Files.copy(source, dest, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
    } else if (format == S_IFCHR || format == S_IFBLK || format == S_IFIFO) {
      long rdev = (Long) unix.get("rdev");
      Posix.NodeType type = format == S_IFCHR ? Posix.NodeType.CHAR
          : format == S_IFBLK ? Posix.NodeType.BLOCK : Posix.NodeType.FIFO;
      Posix.mknod(dest, type, mode & 07777, major(rdev), minor(rdev));
    } else {
      return; // sockets are not copied
    }
    attributes(source, dest, unix);
  }

  /** Owner, mode (not of a symlink) and times of {@code source}, given to {@code dest}. */
  private void attributes(Path source, Path dest, Map<String, Object> unix) throws IOException {
    try {
      Posix.lchown(dest, (Integer) unix.get("uid"), (Integer) unix.get("gid"));
    } catch (IOException e) {
      if (root) {
        throw e;
      }
      // Rootless: only our own ids can be given; the files stay ours, which the container sees as root.
    }
    if (!Files.isSymbolicLink(dest)) {
      Posix.lchmod(dest, (Integer) unix.get("mode") & 07777); // after lchown, which clears setuid bits
    }
    Posix.lutimes(dest, (FileTime) unix.get("lastAccessTime"), (FileTime) unix.get("lastModifiedTime"));
  }

  /**
   * The topmost layer's copy of {@code rel}, for a path the merged view says exists: the first
   * layer holding it under real directories only.
   */
  private Path winner(String rel) throws IOException {
    if (rel.isEmpty() || !merged.exists(rel)) {
      return null;
    }
    for (Path layer : layersTopFirst) {
      Path current = layer;
      boolean reachable = true;
      String[] names = rel.split("/");
      for (int i = 0; i < names.length - 1 && reachable; i++) {
        current = current.resolve(names[i]);
        reachable = Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS);
      }
      Path candidate = current.resolve(names[names.length - 1]);
      if (reachable && Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
        return candidate;
      }
    }
    return null;
  }

  private static Map<String, Object> readUnix(Path path) throws IOException {
    return Files.readAttributes(path, UNIX, LinkOption.NOFOLLOW_LINKS);
  }

  // glibc's encoding of dev_t.
  private static int major(long rdev) {
    return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
  }

  private static int minor(long rdev) {
    return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
  }
}
