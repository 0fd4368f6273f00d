package dev.minke.kernel;

import dev.minke.os.FileTrees;
import dev.minke.view.MimeBundles;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a kernel does in its first seconds, run once at install time so that {@link
 * ClassDataArchive} can record the classes it loads: JShell with the DSL imported, a cell, a
 * build into a throw-away store, and the build's rendering.
 */
final class KernelTraining {
  private KernelTraining() {}

  public static void main(String[] args) throws Exception {
    Path home = Files.createTempDirectory("minke-kernel-training");
    System.setProperty("minke.home", home.toString());
    try (CellEvaluator shell = new CellEvaluator(1_000)) {
      shell.startup("import static dev.minke.kernel.Notebook.*;");
      shell.eval("int answer = 41; answer + 1");
      Object image = shell.eval("scratch().env(\"GREETING\", \"hi\").label(\"training\", \"yes\")"
          + ".build(dev.minke.build.BuildOptions.defaults().withListener(e -> {}))").orElseThrow();
      DisplayData data = new DisplayData();
      MimeBundles.of(image).ifPresent(bundle -> bundle.data().forEach(data::putData));
      new com.google.gson.Gson().toJson(data);
      shell.complete("from(\"busybox\").wor", 20);
    } finally {
      FileTrees.delete(home);
    }
  }
}
