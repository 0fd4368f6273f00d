package dev.minke.dsl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Dockerfiles of the shared conformance data: the real-world files listed in {@code
 * realworld/index.tsv} and BuildKit's parser test files ({@code minke.conformance}, or a parent's
 * {@code shared/conformance}).
 */
final class DockerfileCorpus {
  private DockerfileCorpus() {}

  /** Every Dockerfile, as paths relative to the conformance {@code dockerfile/} directory, sorted. */
  static List<String> all() {
    Path root = root();
    List<String> files = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(root.resolve("realworld/index.tsv"))) {
        String path = line.split("\t")[0];
        if (path.startsWith("realworld/")) {
          files.add(path);
        }
      }
      try (Stream<Path> cases = Files.list(root.resolve("buildkit-parser/testfiles"))) {
        cases.map(c -> c.resolve("Dockerfile")).filter(Files::isRegularFile)
            .forEach(f -> files.add(root.relativize(f).toString()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files.stream().sorted().toList();
  }

  /** Every {@code n}th Dockerfile, a fixed sample that covers each source repository. */
  static List<String> sample(int size) {
    List<String> all = all();
    List<String> sample = new ArrayList<>();
    for (int i = 0; i < all.size(); i += Math.max(1, all.size() / size)) {
      sample.add(all.get(i));
    }
    return sample;
  }

  static String read(String path) {
    try {
      return Files.readString(root().resolve(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path root() {
    String property = System.getProperty("minke.conformance");
    if (property != null && Files.isDirectory(Paths.get(property).resolve("dockerfile"))) {
      return Paths.get(property).resolve("dockerfile");
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shared/conformance/dockerfile"))) {
        return dir.resolve("shared/conformance/dockerfile");
      }
    }
    throw new IllegalStateException("no conformance data: set -Dminke.conformance");
  }
}
