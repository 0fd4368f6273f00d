package dev.minke.kernel;

import dev.minke.build.BuildOptions;
import dev.minke.dsl.Build;
import dev.minke.dsl.DockerfileImport;
import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code %%dockerfile [-t TAG] [--target STAGE] [--build-arg K=V] [--no-cache]} cell magic:
 * the rest of the cell is a Dockerfile. The cell shows the same build in the DSL (Java to copy
 * into a cell), builds it with the notebook's directory as the context and the same live display
 * as a DSL build, and ends with the image.
 */
final class DockerfileMagic {
  static final String MAGIC = "%%dockerfile";

  private final MinkeKernel kernel;

  DockerfileMagic(MinkeKernel kernel) {
    this.kernel = kernel;
  }

  static boolean isDockerfileCell(String code) {
    return code.stripLeading().startsWith(MAGIC);
  }

  DisplayData run(String cell) {
    String text = cell.stripLeading();
    int newline = text.indexOf('\n');
    String header = newline < 0 ? text : text.substring(0, newline);
    String dockerfile = newline < 0 ? "" : text.substring(newline + 1);
    Request request = Request.parse(header.substring(MAGIC.length()).trim());
    if (dockerfile.isBlank()) {
      throw new MagicUsageException("the %%dockerfile cell has no Dockerfile below its first line",
          "write the Dockerfile under the magic, e.g.\n%%dockerfile -t hello\nFROM busybox\nRUN echo hi > /greeting");
    }
    // Everything that can be wrong with the Dockerfile is found before anything is built.
    Build build = DockerfileImport.build(dockerfile, request.buildArgs());
    if (request.target() != null) {
      build = build.target(request.target());
    }
    DisplayData java = javaSource(build.toJava() + ".build()");
    Uninterrupted.run(() -> kernel.display(java));
    BuildOptions options = BuildOptions.defaults().withContextDir(Path.of("").toAbsolutePath())
        .withNoCache(request.noCache());
    for (Map.Entry<String, String> arg : request.buildArgs().entrySet()) {
      options = options.withBuildArg(arg.getKey(), arg.getValue());
    }
    Image image = build.build(options); // Shown live by the notebook's front end.
    if (request.tag() != null) {
      image = image.tag(request.tag().toString());
    }
    return kernel.render(image);
  }

  /** The same build in the DSL, as Java to copy into a cell. */
  private static DisplayData javaSource(String java) {
    DisplayData data = new DisplayData(java);
    data.putMarkdown("The same build in Minke's DSL:\n\n```java\n" + java + "\n```");
    return data;
  }

  /** The magic's options. */
  record Request(Reference tag, String target, Map<String, String> buildArgs, boolean noCache) {
    static Request parse(String options) {
      Reference tag = null;
      String target = null;
      boolean noCache = false;
      Map<String, String> buildArgs = new LinkedHashMap<>();
      String[] words = options.isEmpty() ? new String[0] : options.split("\\s+");
      for (int i = 0; i < words.length; i++) {
        String word = words[i];
        switch (word) {
          case "-t", "--tag" -> tag = Reference.parse(value(words, i++));
          case "--target" -> target = value(words, i++);
          case "--build-arg" -> {
            String pair = value(words, i++);
            int eq = pair.indexOf('=');
            if (eq <= 0) {
              throw new MagicUsageException("--build-arg " + pair + " has no value", "write it as --build-arg NAME=VALUE");
            }
            buildArgs.put(pair.substring(0, eq), pair.substring(eq + 1));
          }
          case "--no-cache" -> noCache = true;
          default -> throw new MagicUsageException("%%dockerfile does not know the option " + word,
              "use %%dockerfile [-t TAG] [--target STAGE] [--build-arg NAME=VALUE] [--no-cache]");
        }
      }
      return new Request(tag, target, buildArgs, noCache);
    }

    private static String value(String[] words, int i) {
      if (i + 1 >= words.length) {
        throw new MagicUsageException(words[i] + " needs a value",
            "use %%dockerfile [-t TAG] [--target STAGE] [--build-arg NAME=VALUE] [--no-cache]");
      }
      return words[i + 1];
    }
  }
}
