package dev.minke.kernel.docs;

import dev.minke.dsl.Images;
import dev.minke.os.FileTrees;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything the tutorial notebooks need, made for one docs build and removed after it: a fresh
 * store with the offline busybox image, a local registry seeded with busybox that serves as the
 * docker.io mirror and as the tutorials' push target, and the kernelspec in a private prefix.
 */
final class DocsEnvironment implements AutoCloseable {
  /** The registry the notebooks push to and pull from ({@code host:port}); 05-registry reads it. */
  static final String REGISTRY_VARIABLE = "MINKE_TUTORIAL_REGISTRY";

  private final Path root;
  private final Store store;
  private final TutorialRegistry registry;
  private final Path jupyterPath;

  private DocsEnvironment(Path root, Store store, TutorialRegistry registry, Path jupyterPath) {
    this.root = root;
    this.store = store;
    this.registry = registry;
    this.jupyterPath = jupyterPath;
  }

  /**
   * Sets everything up under a new temporary directory; {@code kernelInstaller} installs the
   * kernelspec into the prefix it is given and returns the spec's directory.
   */
  static DocsEnvironment create(UnaryOperator<Path> kernelInstaller) throws IOException {
    Path root = Files.createTempDirectory("minke-docs-");
    TutorialRegistry registry = null;
    try {
      Store store = Store.open(root.resolve("home"));
      var busybox = Images.busybox(store);
      registry = TutorialRegistry.start(root.resolve("registry"));
      // The mirror answers for docker.io/library/busybox, so pull("busybox") works offline.
      busybox.push(registry.hostPort() + "/library/busybox:latest");
      kernelInstaller.apply(root.resolve("jupyter"));
      Files.createDirectories(root.resolve("tmp"));
      return new DocsEnvironment(root, store, registry, root.resolve("jupyter/share/jupyter"));
    } catch (IOException | RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      FileTrees.delete(root);
      throw e;
    }
  }

  /** The variables the kernel and nbclient run with. */
  Map<String, String> environment() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("MINKE_HOME", store.home().toString());
    env.put(REGISTRY_VARIABLE, registry.hostPort());
    env.put("MINKE_REGISTRY_MIRROR", "http://" + registry.hostPort());
    env.put("JUPYTER_PATH", jupyterPath.toString());
    // Temporary files of the notebooks (and of a cell that failed before tidying up) go with the build.
    String javaOptions = System.getenv().getOrDefault("JAVA_TOOL_OPTIONS", "");
    env.put("JAVA_TOOL_OPTIONS", (javaOptions + " -Djava.io.tmpdir=" + root.resolve("tmp")).strip());
    env.put("TMPDIR", root.resolve("tmp").toString());
    env.put("JUPYTER_RUNTIME_DIR", root.resolve("jupyter-runtime").toString());
    env.put("PYDEVD_DISABLE_FILE_VALIDATION", "1");
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    return env;
  }

  /** A scratch directory of this build (removed with it). */
  Path root() {
    return root;
  }

  /**
   * Removes what a failed notebook may have left (containers of the docs store, with their
   * anonymous volumes), stops the registry and deletes the temporary directory.
   */
  @Override
  public void close() throws IOException {
    try {
      Containers containers = new Containers(store);
      for (ContainerRecord container : containers.list(true)) {
        System.err.println("minke docs: removing container " + container.name() + " left by a notebook");
        containers.remove(container.id(), true, true);
      }
    } finally {
      registry.close();
      FileTrees.delete(root);
    }
  }
}
