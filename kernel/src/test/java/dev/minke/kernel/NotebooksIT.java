package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tutorial notebooks, executed by {@code minke docs} exactly as a user runs it (the packaged
 * jars, a private store, registry and kernelspec), with their key outputs checked; then the
 * build-heavy ones again from an empty store, which must show the same image digests.
 * {@code -Dminke.notebooks.determinism=all} repeats every notebook instead of that subset.
 */
class NotebooksIT {
  static final Path NOTEBOOKS = InstalledKernel.TARGET.getParent().getParent().resolve("notebooks");
  static final Path OUT = InstalledKernel.TARGET.resolve("notebooks-docs");
  static final Path OUT_AGAIN = InstalledKernel.TARGET.resolve("notebooks-docs-again");
  static final List<String> DETERMINISM_SUBSET = List.of(
      "00-welcome", "02-images-and-layers", "03-dockerfile-and-cache", "04-multi-stage");
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

  static InstalledKernel.Result firstRun;

  @BeforeAll
  static void runDocs() throws Exception {
    firstRun = docs(OUT, List.of());
    assertEquals(0, firstRun.exit(), firstRun.output());
  }

  @Test
  void everyNotebook_executedWithoutErrors_andRenderedAsHtml() throws IOException {
    List<String> names;
    try (var files = Files.list(NOTEBOOKS)) {
      names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb")).sorted().toList();
    }
    assertEquals(8, names.size(), names.toString());
    for (String name : names) {
      JsonObject notebook = read(OUT, name.replace(".ipynb", ""));
      assertEquals("minke", notebook.getAsJsonObject("metadata").getAsJsonObject("kernelspec").get("name").getAsString());
      for (JsonObject cell : codeCells(notebook)) {
        for (JsonElement output : cell.getAsJsonArray("outputs")) {
          assertFalse(output.getAsJsonObject().get("output_type").getAsString().equals("error"), name + ": " + output);
        }
      }
      assertTrue(Files.size(OUT.resolve(name.replace(".ipynb", ".html"))) > 0, name);
    }
  }

  @Test
  void welcome_pushedAndPulledImageRuns() throws IOException {
    String text = text(read(OUT, "00-welcome"));
    assertTrue(text.contains("same image: true"), text);
    assertTrue(text.contains("Hello from inside a container!"), text);
  }

  @Test
  void containers_ownHostname_sharedKernel_limitsHit() throws IOException {
    String text = text(read(OUT, "01-containers"));
    assertTrue(text.contains("box-1"), text);
    assertTrue(text.contains("the host is called box-1 too: false"), text);
    assertTrue(text.contains("eth0 has an address: true; the host has it too: false"), text);
    assertTrue(text.contains("same kernel as the host: true"), text);
    assertTrue(text.contains("exit 137, killed for memory: true"), text);
    assertTrue(text.contains("can't fork"), text);
    assertTrue(text.contains("\"quota\" : 50000"), text);
  }

  @Test
  void imagesAndLayers_compareShowsSharedLayers_containerDiffAndCommit() throws IOException {
    JsonObject notebook = read(OUT, "02-images-and-layers");
    JsonObject comparison = json(cellWith(notebook, "compare(app, other)"));
    assertEquals(2, comparison.get("sharedLayers").getAsInt(), comparison.toString());
    assertTrue(comparison.get("savedBytes").getAsLong() > 0, comparison.toString());
    String text = text(notebook);
    assertTrue(text.contains("D /app/run.sh") && text.contains("A /tmp/note"), text);
    JsonObject committed = json(cellWith(notebook, "compare(app, committed)"));
    assertEquals(3, committed.get("sharedLayers").getAsInt(), committed.toString());
  }

  @Test
  void dockerfileAndCache_rebuildAllCached_reorderRunsFewerSteps_dockerfileSameDigest() throws IOException {
    JsonObject notebook = read(OUT, "03-dockerfile-and-cache");
    JsonObject cached = json(codeCells(notebook).stream().filter(c -> source(c).strip().equals("naive.build()"))
        .findFirst().orElseThrow());
    JsonArray steps = cached.getAsJsonArray("buildSteps");
    assertFalse(steps.isEmpty(), cached.toString());
    for (JsonElement step : steps) {
      assertEquals("CACHED", step.getAsJsonObject().get("verdict").getAsString(), step.toString());
    }
    String text = text(notebook);
    assertTrue(text.contains("copy everything first: 3"), text);
    assertTrue(text.contains("dependencies first:    2"), text);
    assertTrue(text.contains("same digest: true"), text);
  }

  @Test
  void multiStage_runtimeSmaller_unusedStageSkipped_failingStageFailsBuild() throws IOException {
    JsonObject notebook = read(OUT, "04-multi-stage");
    String text = text(notebook);
    assertTrue(text.contains("runtime smaller: true"), text);
    assertTrue(text.contains("hello from a small image"), text);
    assertTrue(text.contains("the build failed: "), text);
    JsonObject report = json(cellWith(notebook, "Build.of(build, lint, runtime)"));
    String lint = "";
    for (JsonElement stage : report.getAsJsonArray("stages")) {
      if (stage.getAsJsonObject().get("stage").getAsString().equals("lint")) {
        lint = stage.getAsJsonObject().get("verdict").getAsString();
      }
    }
    assertEquals("SKIPPED", lint, report.toString());
  }

  @Test
  void registry_pulledDigestIsThePushedOne_latestMoves_mirrorServesBusybox() throws IOException {
    String text = text(read(OUT, "05-registry"));
    assertTrue(text.contains("docker.io/library/busybox:latest"), text);
    assertTrue(text.contains("pulled digest equals pushed digest: true"), text);
    assertTrue(text.contains("version 1") && text.contains("version 2"), text);
    assertTrue(text.contains("mirror set: true; same busybox: true"), text);
  }

  @Test
  void volumes_dataSurvivesTheUpgrade_volumeInstructionMakesAnonymousVolume_bindMountHides() throws IOException {
    String text = text(read(OUT, "06-volumes-and-bind-mounts"));
    assertTrue(text.contains("order 1\norder 2"), text);
    assertTrue(text.contains("new volumes without --volume: 1"), text);
    assertTrue(text.contains("new volumes with --volume: 0"), text);
    assertTrue(text.contains("notes.txt") && text.contains("from the container"), text);
  }

  @Test
  void manyContainers_clientReachesWebByName_andTheStackGoesDown() throws IOException {
    String text = text(read(OUT, "07-many-containers"));
    assertTrue(text.contains("hello from the web service"), text);
    assertTrue(text.contains("client exited with 0"), text);
    assertTrue(text.contains("down: true"), text);
  }

  @Test
  void runAgainFromAnEmptyStore_showsTheSameImageDigests() throws Exception {
    boolean all = "all".equals(System.getProperty("minke.notebooks.determinism"));
    List<String> names = all ? List.of() : DETERMINISM_SUBSET;
    InstalledKernel.Result again = docs(OUT_AGAIN, names);
    assertEquals(0, again.exit(), again.output());
    List<String> checked = all ? allNames() : names;
    int withImages = 0;
    for (String name : checked) {
      List<String> first = digests(read(OUT, name));
      // Every notebook of the subset shows images; of all eight, 01 (containers) shows none.
      assertFalse(!all && first.isEmpty(), name + " shows no image digest");
      withImages += first.isEmpty() ? 0 : 1;
      assertEquals(first, digests(read(OUT_AGAIN, name)), name + ": image digests differ between two runs");
    }
    assertTrue(withImages >= names.size() && withImages > 0, "too few notebooks with image digests: " + withImages);
  }

  @Test
  void aFailingCell_failsTheDocsBuild_namingNotebookCellAndError() throws Exception {
    Path dir = InstalledKernel.TARGET.resolve("notebooks-failing");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("00-fails.ipynb"), """
        {"cells": [
          {"cell_type": "code", "execution_count": null, "id": "c0", "metadata": {}, "outputs": [], "source": "1 + 1"},
          {"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [],
           "source": "throw new IllegalStateException(\\"boom\\");"}],
         "metadata": {"kernelspec": {"display_name": "Minke (Java)", "language": "java", "name": "minke"}},
         "nbformat": 4, "nbformat_minor": 5}
        """);
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", InstalledKernel.classPath(), KernelCli.class.getName(),
        "docs", "--out", InstalledKernel.TARGET.resolve("notebooks-failing-out").toString(), "--notebooks", dir.toString()));
    InstalledKernel.Result result = InstalledKernel.run(command, Map.of(), InstalledKernel.TARGET, 600);
    assertEquals(1, result.exit(), result.output());
    assertTrue(result.output().contains("00-fails.ipynb: cell 1 (throw new IllegalStateException(\"boom\");): "),
        result.output());
    assertTrue(result.output().contains("boom"), result.output());
  }

  // ---- running minke docs and reading what it wrote ----

  static InstalledKernel.Result docs(Path out, List<String> names) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Djava.awt.headless=true", "-cp", InstalledKernel.classPath(), KernelCli.class.getName(),
        "docs", "--out", out.toString(), "--notebooks", NOTEBOOKS.toString()));
    command.addAll(names);
    return InstalledKernel.run(command, Map.of(), InstalledKernel.TARGET, 1800);
  }

  static List<String> allNames() throws IOException {
    try (var files = Files.list(NOTEBOOKS)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".ipynb"))
          .map(n -> n.replace(".ipynb", "")).sorted().toList();
    }
  }

  static JsonObject read(Path dir, String name) throws IOException {
    return JsonParser.parseString(Files.readString(dir.resolve(name + ".ipynb"))).getAsJsonObject();
  }

  static List<JsonObject> codeCells(JsonObject notebook) {
    List<JsonObject> cells = new ArrayList<>();
    for (JsonElement cell : notebook.getAsJsonArray("cells")) {
      if (cell.getAsJsonObject().get("cell_type").getAsString().equals("code")) {
        cells.add(cell.getAsJsonObject());
      }
    }
    return cells;
  }

  static JsonObject cellWith(JsonObject notebook, String source) {
    return codeCells(notebook).stream().filter(c -> source(c).contains(source)).findFirst()
        .orElseThrow(() -> new AssertionError("no cell with " + source));
  }

  static String source(JsonObject cell) {
    return joined(cell.get("source"));
  }

  /** The application/json of the cell's result (not of the build display before it). */
  static JsonObject json(JsonObject cell) {
    for (JsonElement output : cell.getAsJsonArray("outputs")) {
      JsonObject data = output.getAsJsonObject().getAsJsonObject("data");
      boolean result = output.getAsJsonObject().get("output_type").getAsString().equals("execute_result");
      if (result && data != null && data.has("application/json")) {
        return data.getAsJsonObject("application/json");
      }
    }
    throw new AssertionError("no JSON output in the cell " + source(cell));
  }

  /** Every stream and text/plain output of the notebook, in order. */
  static String text(JsonObject notebook) {
    StringBuilder text = new StringBuilder();
    for (JsonObject cell : codeCells(notebook)) {
      for (JsonElement element : cell.getAsJsonArray("outputs")) {
        JsonObject output = element.getAsJsonObject();
        if (output.has("text")) {
          text.append(joined(output.get("text")));
        }
        JsonObject data = output.getAsJsonObject("data");
        if (data != null && data.has("text/plain")) {
          text.append(joined(data.get("text/plain"))).append('\n');
        }
      }
    }
    return text.toString();
  }

  /** The sha256 digests (full length) in the notebook's JSON outputs, in order. */
  static List<String> digests(JsonObject notebook) {
    List<String> digests = new ArrayList<>();
    for (JsonObject cell : codeCells(notebook)) {
      for (JsonElement output : cell.getAsJsonArray("outputs")) {
        JsonObject data = output.getAsJsonObject().getAsJsonObject("data");
        if (data != null && data.has("application/json")) {
          Matcher m = DIGEST.matcher(data.get("application/json").toString());
          while (m.find()) {
            digests.add(m.group());
          }
        }
      }
    }
    return digests;
  }

  private static String joined(JsonElement value) {
    if (value.isJsonArray()) {
      List<String> parts = new ArrayList<>();
      value.getAsJsonArray().forEach(e -> parts.add(e.getAsString()));
      return String.join("", parts);
    }
    return value.getAsString();
  }
}
