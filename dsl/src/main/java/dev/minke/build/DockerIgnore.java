package dev.minke.build;

import dev.minke.error.MinkeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of a build context's {@code .dockerignore}: which paths stay out of the context.
 *
 * <p>Read and applied as Docker and BuildKit do (moby/patternmatcher): one pattern per line, lines
 * starting with {@code #} and blank lines skipped, each pattern trimmed and cleaned like a path
 * with any leading {@code /} dropped. A pattern that matches a directory excludes everything in it;
 * a {@code !} pattern is an exception that includes again; when several patterns match a path the
 * last one wins. Paths are slash-separated and relative to the context root.
 */
public final class DockerIgnore {
  /** The file's name in the context directory. */
  public static final String FILE_NAME = ".dockerignore";

  private static final DockerIgnore EMPTY = new DockerIgnore(List.of());

  private final List<IgnorePattern> patterns;

  private DockerIgnore(List<IgnorePattern> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Rules that exclude nothing. */
  public static DockerIgnore empty() {
    return EMPTY;
  }

  /** Reads the rules from the text of a {@code .dockerignore} file. */
  public static DockerIgnore parse(String text) {
    List<IgnorePattern> patterns = new ArrayList<>();
    // Docker strips a UTF-8 byte order mark from the first line only.
    String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
    String[] lines = body.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      // A comment starts in column 1; "  #x" is the pattern "#x", as in Docker.
      if (lines[i].startsWith("#")) {
        continue;
      }
      String line = lines[i].strip();
      if (!line.isEmpty()) {
        patterns.add(parseLine(line, i + 1));
      }
    }
    return new DockerIgnore(patterns);
  }

  /** Reads {@code contextDir/.dockerignore}; rules that exclude nothing if there is none. */
  public static DockerIgnore load(Path contextDir) {
    Path file = contextDir.resolve(FILE_NAME);
    try {
      return parse(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return EMPTY;
    } catch (IOException e) {
      throw new MinkeException(
          "cannot read " + file + ": " + e.getMessage(),
          "check that the file is readable, or remove it",
          e);
    }
  }

  private static IgnorePattern parseLine(String line, int lineNumber) {
    boolean exception = line.startsWith("!");
    String pattern = exception ? line.substring(1).strip() : line;
    if (exception && pattern.isEmpty()) {
      throw new InvalidIgnorePatternException(lineNumber, line, "\"!\" needs a pattern after it");
    }
    pattern = SlashPaths.clean(pattern);
    if (pattern.length() > 1 && pattern.startsWith("/")) {
      pattern = pattern.substring(1); // "/foo" means foo at the context root, like "foo"
    }
    return IgnorePattern.compile(pattern, exception, lineNumber, line);
  }

  /** Whether the file or directory at {@code relativePath} is left out of the context. */
  public boolean excludes(String relativePath) {
    String path = normalize(relativePath);
    if (path.equals(".")) {
      return false; // the context root itself is always there
    }
    int last = lastMatch(path);
    return last >= 0 && !patterns.get(last).exception();
  }

  /**
   * Whether anything inside the directory {@code dirPath} may be in the context.
   *
   * <p>False only when the directory is excluded and no {@code !} exception could match a path in
   * it, so a context walker can skip the whole directory.
   */
  public boolean mayIncludeBelow(String dirPath) {
    String dir = normalize(dirPath);
    if (dir.equals(".")) {
      return true;
    }
    int last = lastMatch(dir);
    if (last < 0 || patterns.get(last).exception()) {
      return true;
    }
    // Everything below dir also matches pattern `last` (through its parent), so only a later
    // exception can be the last match there.
    for (IgnorePattern pattern : patterns.subList(last + 1, patterns.size())) {
      if (pattern.exception() && pattern.mayMatchBelow(dir)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The index of the last pattern that matches the path or a parent of it, or -1.
   *
   * <p>The last match decides (moby/patternmatcher's rule), so the search runs backwards and stops
   * at the first hit.
   */
  private int lastMatch(String path) {
    for (int i = patterns.size() - 1; i >= 0; i--) {
      if (patterns.get(i).matchesSelfOrParent(path)) {
        return i;
      }
    }
    return -1;
  }

  /** The patterns in file order, with {@code !} on exceptions, as cleaned. */
  public List<String> patterns() {
    return patterns.stream().map(IgnorePattern::toString).toList();
  }

  /** Whether there are no rules at all. */
  public boolean isEmpty() {
    return patterns.isEmpty();
  }

  private static String normalize(String relativePath) {
    String path = SlashPaths.clean(relativePath);
    while (path.startsWith("/")) {
      path = path.substring(1);
    }
    return path.isEmpty() ? "." : path;
  }

  @Override
  public String toString() {
    return "DockerIgnore" + patterns();
  }
}
