package dev.minke.build;

import dev.minke.image.EntryType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sources of {@code COPY --from=stage}: paths in the other stage's filesystem, resolved the
 * way the kernel would inside that image (symlinks followed, never above its root), read from the
 * stage's unpacked layers. Files keep the owner and mode they have there, as in BuildKit.
 */
final class StageFiles implements SourceTree {
  private final StageOutput stage;
  private final Path root;
  private final ImageFilesystem fs;
  private final String step;

  StageFiles(StageOutput stage, Path root, String step) {
    this.stage = stage;
    this.root = root;
    this.fs = stage.state().filesystem();
    this.step = step;
  }

  @Override
  public List<CopySources.Source> find(String source) {
    String cleaned = ContainerPaths.clean("/" + source).substring(1);
    if (cleaned.indexOf('*') >= 0 || cleaned.indexOf('?') >= 0 || cleaned.indexOf('[') >= 0) {
      return match(source, cleaned);
    }
    return List.of(existing(source, cleaned));
  }

  private CopySources.Source existing(String source, String path) {
    String resolved = fs.resolveDirectory(path);
    if (resolved.isEmpty()) {
      return new CopySources.Source("", root, true);
    }
    ImageFilesystem.Node node = fs.get(resolved);
    if (node == null) {
      throw new BuildInputException(step, "source \"" + source + "\" not found in stage " + stage.label(),
          "check the path in the stage that makes it; paths there are absolute, e.g. /out/app");
    }
    if (node.type() != EntryType.FILE && node.type() != EntryType.DIRECTORY && node.type() != EntryType.HARDLINK) {
      throw new BuildInputException(step, "source \"" + source + "\" in stage " + stage.label() + " is a "
          + node.type().name().toLowerCase(java.util.Locale.ROOT), "copy regular files and directories");
    }
    return new CopySources.Source(resolved, root.resolve(resolved), node.type() == EntryType.DIRECTORY);
  }

  private List<CopySources.Source> match(String source, String pattern) {
    Pattern regex;
    try {
      regex = Pattern.compile(IgnoreGlob.toRegex(pattern));
    } catch (IgnoreGlob.BadGlobException e) {
      throw new BuildInputException(step, "bad pattern \"" + source + "\": " + e.getMessage(),
          "use Go's wildcard syntax: *, ?, [a-z], and \\ to escape");
    }
    List<CopySources.Source> matches = new ArrayList<>();
    for (String path : fs.paths()) {
      if (regex.matcher(path).matches()) {
        matches.add(existing(path, path));
      }
    }
    if (matches.isEmpty()) {
      throw new BuildInputException(step, "no files in stage " + stage.label() + " match \"" + source + "\"",
          "check the pattern; it is matched against absolute paths in that stage");
    }
    return matches;
  }

  @Override
  public boolean excludes(String relativePath) {
    return false;
  }

  @Override
  public ImageFilesystem.Node metadata(CopySources.Source source) {
    return fs.get(source.relativePath());
  }

  @Override
  public boolean preserveOwnership() {
    return true;
  }
}
