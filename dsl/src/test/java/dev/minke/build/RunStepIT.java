package dev.minke.build;

import static dev.minke.Minke.from;
import static dev.minke.Minke.network;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Compressions;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.image.MediaType;
import dev.minke.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN steps: a container on the parent's snapshots whose overlay upper directory is the layer. */
class RunStepIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private Set<String> cgroupsBefore;

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
    cgroupsBefore = minkeCgroups();
  }

  @AfterEach
  void noLeftovers() throws InterruptedException {
    assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?"))
        .filter(c -> c.contains("minke-init")).toList(), "minke-init processes left");
    assertEquals(List.of(), mountsUnder(home), "mounts left under the store");
    // Other test classes may run build containers meanwhile: wait for theirs to end too.
    Set<String> left = Set.of();
    for (int attempt = 0; attempt < 100; attempt++) {
      left = new TreeSet<>(minkeCgroups());
      left.removeAll(cgroupsBefore);
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(100);
    }
    assertEquals(Set.of(), left, "cgroups left");
  }

  private Image build(Stage stage) {
    return build(stage, BuildOptions.defaults().withSourceDateEpoch(0));
  }

  private Image build(Stage stage, BuildOptions options) {
    return stage.context(context).buildIn(store, options);
  }

  private LayerListing lastLayer(Image image) {
    return TestStores.listing(store, last(image));
  }

  private static Descriptor last(Image image) {
    List<Descriptor> layers = image.manifest().layers();
    return layers.get(layers.size() - 1);
  }

  @Test
  void run_echoToFile_layerHasTheFile() throws IOException {
    Image image = build(from("busybox").run("echo hi > /greeting"));
    LayerListing layer = lastLayer(image);
    assertEquals(Set.of("greeting"), layer.entries().keySet());
    assertEquals("hi\n", fileText(store, last(image), "greeting"));
    assertEquals("RUN echo hi > /greeting", image.steps().get(0).createdBy());
    assertEquals(2, image.config().rootfs().diffIds().size());
  }

  @Test
  void run_removeLowerFile_layerHasWhiteout() {
    LayerListing layer = lastLayer(build(from("busybox").run("rm /etc/group")));
    assertTrue(layer.whiteouts().contains("etc/group"), layer.toString());
  }

  @Test
  void run_replaceLowerDirectory_layerMarksItOpaque() {
    LayerListing layer = lastLayer(build(from("busybox").run("mkdir -p /a && rm -rf /var && mkdir -p /var/new")));
    assertTrue(layer.opaqueDirs().contains("var"), layer.toString());
    assertTrue(layer.entries().containsKey("var/new"));
    assertTrue(layer.entries().containsKey("a"));
  }

  @Test
  void run_execForm_runsWithoutShell() throws IOException {
    Image image = build(from("busybox").runExec("/bin/touch", "/made-by-exec"));
    assertTrue(lastLayer(image).entries().containsKey("made-by-exec"));
    assertEquals("RUN [\"/bin/touch\",\"/made-by-exec\"]", image.steps().get(0).createdBy());
  }

  @Test
  void run_laterStepSeesEarlierRunAndCopy() throws IOException {
    Files.writeString(context.resolve("in.txt"), "from context\n");
    Image image = build(from("busybox").copy("in.txt", "/in.txt").run("cp /in.txt /step1")
        .run("cat /step1 /in.txt > /step2"));
    assertEquals("from context\nfrom context\n", fileText(store, last(image), "step2"));
  }

  @Test
  void run_seesEnvWorkdirUserAndBuildArgs() throws IOException {
    Image image = build(from("busybox").arg("VERSION").env("GREETING", "hello").workdir("/work/dir")
            .user("nobody").run("echo \"$GREETING $VERSION $(pwd) $(id -u)\" > /tmp/out"),
        BuildOptions.defaults().withSourceDateEpoch(0).withBuildArg("VERSION", "7"));
    Descriptor layer = last(image);
    assertEquals("hello 7 /work/dir 65534\n", fileText(store, layer, "tmp/out"));
    LayerListing listing = TestStores.listing(store, layer);
    assertTrue(listing.entries().containsKey("work/dir"), "the missing workdir is created: " + listing);
    assertFalse(image.config().config().env().stream().anyMatch(e -> e.startsWith("VERSION=")),
        "build args are not kept in the image");
  }

  @Test
  void run_customShell_wrapsShellForm() throws IOException {
    Image image = build(from("busybox").shell("/bin/sh", "-ec").run("echo $0 > /shell-name"));
    assertEquals("/bin/sh\n", fileText(store, last(image), "shell-name"));
  }

  @Test
  void run_networkNone_onlyLoopback() throws IOException {
    Image image = build(from("busybox").run(network("none"), "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' > /ifaces"));
    assertEquals("lo\n", fileText(store, last(image), "ifaces"));
    assertEquals("RUN --network=none tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' > /ifaces",
        image.steps().get(0).createdBy());
  }

  @Test
  void run_defaultNetwork_isTheHosts() throws IOException {
    Image image = build(from("busybox").run("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | sort > /ifaces"));
    List<String> host = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("/proc/net/dev")).subList(2, Files.readAllLines(Path.of("/proc/net/dev")).size())) {
      host.add(line.split(":")[0].trim());
    }
    host.sort(null);
    assertEquals(String.join("\n", host) + "\n", fileText(store, last(image), "ifaces"));
  }

  @Test
  void run_failing_reportsStepAndExitCodeAndLeavesStoreAsItWas() throws IOException {
    String before = TestStores.snapshotOf(store);
    Image busybox = Image.lookup(store, dev.minke.registry.Reference.parse("busybox"));
    List<BuildEvent> events = new ArrayList<>();
    Stage stage = from("busybox").run("echo first > /first").run("echo boom; echo oops >&2; exit 3")
        .run("echo never > /never");
    RunStepFailedException e = assertThrows(RunStepFailedException.class, () -> build(stage,
        BuildOptions.defaults().withSourceDateEpoch(0).withListener(events::add)));
    assertEquals(2, e.stepNumber());
    assertEquals(3, e.exitCode());
    assertEquals("RUN echo boom; echo oops >&2; exit 3", e.step());
    assertTrue(e.lastLines().containsAll(List.of("boom", "oops")), e.lastLines().toString());
    assertTrue(e.problem().contains("exit code 3") && e.problem().contains("boom"), e.problem());
    assertEquals(List.of(Verdict.BUILT, Verdict.FAILED, Verdict.SKIPPED),
        e.steps().stream().map(StepResult::verdict).toList());
    assertEquals(before, TestStores.snapshotOf(store), "a failed build leaves blobs and index as they were");
    assertTrue(busybox.config().rootfs().chainIds().containsAll(store.snapshots().list()),
        "a failed build leaves no snapshots of its own layers (the base's may stay): " + store.snapshots().list());
    assertFalse(Files.exists(home.resolve("cache/entries")) && listNames(home.resolve("cache/entries")).size() > 0,
        "a failed build records nothing in the cache");
    assertTrue(events.stream().anyMatch(ev -> ev instanceof BuildEvent.OutputLine line && line.line().equals("boom")));
    assertTrue(events.stream().anyMatch(ev -> ev instanceof BuildEvent.StepFinished f && f.index() == 2
        && f.verdict() == Verdict.SKIPPED));
  }

  @Test
  void run_twoCleanStores_sameImageDigest() {
    Stage stage = from("busybox").workdir("/app").env("A", "1")
        .run("echo hi > f && mkdir -p d/e && touch d/e/x && ln -s f link && rm /etc/group && chmod 0700 d")
        .run("adduser -D -H app 2>/dev/null || echo app:x:1000:1000::/app:/bin/sh >> /etc/passwd")
        .user("app").run("echo $A > /tmp/by-app");
    Image first = build(stage);
    Store other = TestStores.withBusybox(home.resolve("other"));
    Image second = stage.context(context).buildIn(other, BuildOptions.defaults().withSourceDateEpoch(0));
    assertEquals(first.digest(), second.digest());
    assertEquals(first.manifest(), second.manifest());
  }

  @Test
  void run_onEmptyScratch_saysThereIsNothingToRun() {
    BuildInputException e = assertThrows(BuildInputException.class,
        () -> build(dev.minke.Minke.scratch().run("true")));
    assertTrue(e.problem().contains("nothing to run"), e.problem());
  }

  static String fileText(Store store, Descriptor layer, String path) throws IOException {
    try (InputStream in = Compressions.decompress(store.blobs().open(layer.digest()),
        MediaType.compressionOf(layer.mediaType()));
        TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().equals(path) || e.getName().equals("./" + path)) {
          return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
        }
      }
    }
    throw new AssertionError(path + " is not in layer " + layer.digest());
  }

  private static List<String> listNames(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<String> mountsUnder(Path dir) {
    try {
      return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .filter(l -> l.contains(dir.toString())).toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Set<String> minkeCgroups() {
    Set<String> found = new TreeSet<>();
    for (Path root : List.of(Path.of("/sys/fs/cgroup/minke"), Path.of("/sys/fs/cgroup/pids/minke"))) {
      found.addAll(listNames(root).stream().filter(n -> n.matches("[0-9a-f]{64}")).toList());
    }
    return found;
  }
}
