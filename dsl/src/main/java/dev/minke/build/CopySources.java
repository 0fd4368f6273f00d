package dev.minke.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds the files a copy step names in the build context: plain paths and Go-style wildcards
 * ({@code *}, {@code ?}, {@code [a-z]}), never outside the context, never excluded by {@code
 * .dockerignore}. Every problem is a {@link BuildInputException} naming the source.
 */
final class CopySources implements SourceTree {
  /** A matched source: its path relative to the context ("" for the context itself). */
  record Source(String relativePath, Path hostPath, boolean directory) {}

  private final Path contextDir;
  private final Path contextReal;
  private final DockerIgnore ignore;
  private final String step;

  CopySources(Path contextDir, DockerIgnore ignore, String step) {
    this.contextDir = contextDir;
    this.ignore = ignore;
    this.step = step;
    try {
      this.contextReal = contextDir.toRealPath();
    } catch (IOException e) {
      throw new BuildInputException(step, "the build context " + contextDir + " does not exist",
          "pass an existing directory as the context, e.g. context(\".\")", e);
    }
  }

  @Override
  public boolean excludes(String relativePath) {
    return ignore.excludes(relativePath);
  }

  @Override
  public ImageFilesystem.Node metadata(Source source) {
    return null;
  }

  @Override
  public boolean preserveOwnership() {
    return false;
  }

  @Override
  public List<Source> find(String source) {
    String relative = ContainerPaths.clean("/" + source).substring(1);
    if (escapesContext(source)) {
      throw new BuildInputException(step, "source \"" + source + "\" is outside the build context " + contextDir,
          "copy only files below the context directory, or choose a higher context");
    }
    return isPattern(relative) ? matchPattern(source, relative) : List.of(existing(source, relative));
  }

  private Source existing(String source, String relative) {
    Path host = relative.isEmpty() ? contextDir : contextDir.resolve(relative);
    if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
      throw new BuildInputException(step, "source \"" + source + "\" not found in the build context " + contextDir,
          "check the path; sources are relative to the context directory");
    }
    if (!relative.isEmpty() && ignore.excludes(relative)) {
      throw new BuildInputException(step, "source \"" + source + "\" is excluded by .dockerignore",
          "remove its pattern from " + contextDir.resolve(".dockerignore") + " or add a !exception");
    }
    Path real = realPath(source, host);
    if (!real.startsWith(contextReal)) {
      throw new BuildInputException(step, "source \"" + source + "\" is a link to " + real + ", outside the build context",
          "copy the target into the context instead of linking to it");
    }
    if (!Files.isReadable(real)) {
      throw new BuildInputException(step, "source \"" + source + "\" is not readable",
          "check the file's permissions (chmod a+r " + host + ")");
    }
    return new Source(relative, real, Files.isDirectory(real));
  }

  private List<Source> matchPattern(String source, String relativePattern) {
    Pattern regex;
    try {
      regex = Pattern.compile(IgnoreGlob.toRegex(relativePattern));
    } catch (IgnoreGlob.BadGlobException e) {
      throw new BuildInputException(step, "bad pattern \"" + source + "\": " + e.getMessage(),
          "use Go's wildcard syntax: *, ?, [a-z], and \\ to escape");
    }
    List<Source> matches = new ArrayList<>();
    try (Stream<Path> files = Files.walk(contextDir)) {
      files.map(p -> contextDir.relativize(p).toString().replace('\\', '/'))
          .filter(rel -> !rel.isEmpty() && regex.matcher(rel).matches() && !ignore.excludes(rel))
          .sorted()
          .forEach(rel -> matches.add(existing(rel, rel)));
    } catch (IOException | UncheckedIOException e) {
      throw new BuildInputException(step, "cannot list the build context " + contextDir + ": " + e.getMessage(),
          "check the permissions of the context directory", e);
    }
    if (matches.isEmpty()) {
      throw new BuildInputException(step, "no files in the build context match \"" + source + "\"",
          "check the pattern; it is matched against paths relative to " + contextDir);
    }
    return matches;
  }

  private Path realPath(String source, Path host) {
    try {
      return host.toRealPath();
    } catch (IOException e) {
      throw new BuildInputException(step, "source \"" + source + "\" is a dangling link",
          "make the link point at a file inside the context", e);
    }
  }

  private static boolean escapesContext(String source) {
    int depth = 0;
    for (String part : source.split("/")) {
      if (part.equals("..")) {
        depth--;
      } else if (!part.isEmpty() && !part.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPattern(String path) {
    return path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0;
  }
}
