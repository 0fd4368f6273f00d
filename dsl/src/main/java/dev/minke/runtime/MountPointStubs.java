package dev.minke.runtime;

import dev.minke.image.ContainerChanges;
import dev.minke.image.LayerEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The empty files minke-init creates in a container's upper directory as mount points for
 * {@code /etc/hostname}, {@code /etc/hosts} and {@code /etc/resolv.conf} when the image has none,
 * and the {@code /etc} that overlayfs copied up to hold them. Docker keeps such mount points in an
 * init layer below the container's; here they are left out of {@code diff} and {@code commit},
 * so that a container that only wrote {@code /tmp/x} shows {@code A /tmp/x} and commits only that.
 */
final class MountPointStubs {
  static final List<String> FILES = List.of("etc/hostname", "etc/hosts", "etc/resolv.conf");

  private MountPointStubs() {}

  /** Whether {@code path} (relative, e.g. {@code etc/hosts}) is an empty mount-point file in {@code upper}. */
  static boolean isStub(Path upper, String path) {
    if (!FILES.contains(path)) {
      return false;
    }
    Path file = upper.resolve(path);
    try {
      return Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.size(file) == 0;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether {@code upper/etc} holds nothing but stubs and has the owner and mode of the image's
   * {@code /etc} (the topmost lower that has one), i.e. overlayfs made it only for the stubs.
   */
  static boolean etcOnlyHoldsStubs(Path upper, List<Path> lowersTopFirst) {
    Path etc = upper.resolve("etc");
    if (!Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> children = Files.list(etc)) {
      if (!children.allMatch(child -> isStub(upper, "etc/" + child.getFileName()))) {
        return false;
      }
      PosixFileAttributes mine = attributes(etc);
      for (Path lower : lowersTopFirst) {
        Path lowerEtc = lower.resolve("etc");
        if (Files.exists(lowerEtc, LinkOption.NOFOLLOW_LINKS)) {
          PosixFileAttributes image = attributes(lowerEtc);
          return image.isDirectory() && mine.permissions().equals(image.permissions())
              && mine.owner().equals(image.owner()) && mine.group().equals(image.group());
        }
      }
      return true; // The image has no /etc: it exists only for the mount points.
    } catch (IOException e) {
      return false;
    }
  }

  /** A diff without the stubs, and without {@code C /etc} when it only holds them. */
  static List<ContainerChanges.Change> changesWithoutStubs(List<ContainerChanges.Change> changes, Path upper,
      List<Path> lowersTopFirst) {
    boolean dropEtc = etcOnlyHoldsStubs(upper, lowersTopFirst);
    return changes.stream().filter(c -> {
      String path = c.path().startsWith("/") ? c.path().substring(1) : c.path();
      return !(c.letter() == 'A' && isStub(upper, path)) && !(dropEtc && path.equals("etc"));
    }).toList();
  }

  /** The committed entries without the stubs (and their {@code etc}, when it only holds them). */
  static List<LayerEntry> entriesWithoutStubs(List<LayerEntry> entries, Path upper, List<Path> lowersTopFirst) {
    boolean dropEtc = etcOnlyHoldsStubs(upper, lowersTopFirst);
    Set<String> stubs = Set.copyOf(FILES.stream().filter(path -> isStub(upper, path)).toList());
    return entries.stream()
        .filter(e -> !stubs.contains(e.path()) && !(dropEtc && e.path().equals("etc")))
        .toList();
  }

  private static PosixFileAttributes attributes(Path path) throws IOException {
    return Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
  }
}
