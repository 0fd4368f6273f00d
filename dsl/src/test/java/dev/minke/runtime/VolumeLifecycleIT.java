package dev.minke.runtime;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildOptions;
import dev.minke.build.BusyboxImage;
import dev.minke.build.TestStores;
import dev.minke.dsl.Image;
import dev.minke.image.Descriptor;
import dev.minke.store.Store;
import dev.minke.store.VolumeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's volumes chapter as tests: data outlives the container that wrote it, an image's
 * {@code VOLUME} gets a fresh anonymous volume per run unless the run mounts something there,
 * containers share a volume, a bind mount hides what the image had, an empty volume is filled
 * from the image. Every test leaves no container, volume, mount, cgroup or process behind.
 */
class VolumeLifecycleIT {
  @TempDir static Path home;
  @TempDir Path hostDir;
  static Store store;
  static Descriptor busybox;
  static final Set<String> ids = new HashSet<>();
  Containers containers = new Containers(store);
  Volumes volumes = new Volumes(store);

  @BeforeAll
  static void makeStore() {
    store = TestStores.withBusybox(home);
    busybox = store.require(BusyboxImage.NAME);
  }

  @AfterEach
  void removeContainersAndVolumes() {
    for (ContainerRecord c : containers.list(true)) {
      ids.add(c.id());
      containers.remove(c.id(), true, true);
    }
    volumes.prune();
    assertEquals(List.of(), volumes.list(), "volumes were left behind");
  }

  @AfterAll
  static void nothingLeftBehind() throws IOException {
    assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(home.toString()),
        "a mount under the store was left behind");
    assertEquals(List.of(), Cgroups.leftovers().stream()
        .filter(dir -> ids.contains(Path.of(dir).getFileName().toString())).toList(), "cgroups were left behind");
  }

  RunResult run(Descriptor image, RunOptions options, String script) {
    return containers.run(image, "test", options.withCommand(List.of("sh", "-c", script)), OutputListener.NONE, true);
  }

  RunResult run(RunOptions options, String script) {
    return run(busybox, options, script);
  }

  static Descriptor build(dev.minke.dsl.Stage stage) {
    return stage.buildIn(store, BuildOptions.defaults().withSourceDateEpoch(0)).manifestDescriptor();
  }

  @Test
  void namedVolume_outlivesItsContainer_andServesTheNextImageVersion() {
    RunOptions db = RunOptions.defaults().withVolume("dbdata:/var/lib/db");
    RunResult first = run(db, "mkdir -p /var/lib/db && echo 'row 1' > /var/lib/db/data");
    assertEquals(0, first.exitCode(), first.output());
    assertEquals(List.of(), containers.list(true), "--rm removed the container");
    assertEquals("dbdata", volumes.inspect("dbdata").name(), "the named volume stays");

    Descriptor v2 = build(from("busybox").label("version", "2"));
    assertNotEquals(busybox.digest(), v2.digest());
    RunResult second = run(v2, db, "cat /var/lib/db/data; echo 'row 2' >> /var/lib/db/data");
    assertEquals("row 1\n", second.stdout(), second.output());
    assertEquals("row 1\nrow 2\n", readHost(volumes.inspect("dbdata"), "data"));
  }

  @Test
  void imageVolume_getsAnAnonymousVolumePerContainer_unlessTheRunMountsOneThere() {
    Descriptor image = build(from("busybox").volume("/data"));
    ContainerRecord a = containers.create(image, "vol", RunOptions.defaults().withCommand(List.of("true")), "a");
    ContainerRecord b = containers.create(image, "vol", RunOptions.defaults().withCommand(List.of("true")), "b");
    List<VolumeInfo> anonymous = volumes.list();
    assertEquals(2, anonymous.size(), anonymous.toString());
    assertTrue(anonymous.stream().allMatch(v -> v.anonymous() && v.name().length() == 64), anonymous.toString());
    assertEquals(Set.of(List.of("a"), List.of("b")),
        Set.copyOf(anonymous.stream().map(VolumeInfo::containers).toList()));

    ContainerRecord c = containers.create(image, "vol",
        RunOptions.defaults().withVolume("named:/data").withCommand(List.of("true")), "c");
    assertEquals(3, volumes.list().size(), "-v named:/data replaces the VOLUME: no anonymous volume for c");
    assertEquals(List.of("c"), volumes.inspect("named").containers());
    RuntimeSpec.Mount data = mountAt(containers.spec(c.id()), "/data");
    assertEquals(new VolumeStore(store.home()).dataDir("named").toString(), data.source());

    ContainerRecord d = containers.create(image, "vol",
        RunOptions.defaults().withTmpfs("/data/cache", "").withCommand(List.of("true")), "d");
    assertEquals(3, volumes.list().size(), "a mount under the VOLUME path replaces it too");

    containers.remove(a.id(), false, false);
    assertEquals(3, volumes.list().size(), "`rm` without -v keeps the anonymous volume");
    containers.remove(b.id());
    assertEquals(2, volumes.list().size(), "remove (`rm -v`) takes b's anonymous volume");
    containers.remove(c.id());
    containers.remove(d.id());
    assertTrue(volumes.list().stream().anyMatch(v -> v.name().equals("named")), "named volumes stay");
  }

  @Test
  void sharedVolume_aDetachedWriterAndAReader_seeEachOthersWrites() throws InterruptedException {
    RunOptions shared = RunOptions.defaults().withVolume("shared:/shared").withInit(true);
    ContainerRecord writer = containers.create(busybox, "busybox", shared.withCommand(List.of("sh", "-c",
        "echo from-writer > /shared/msg; while [ ! -f /shared/reply ]; do sleep 0.1; done; cat /shared/reply")),
        "writer");
    containers.startDetached(writer.id());
    RunResult reader = run(shared, "while [ ! -f /shared/msg ]; do sleep 0.1; done; cat /shared/msg;"
        + " echo from-reader > /shared/reply");
    assertEquals("from-writer\n", reader.stdout(), reader.output());
    assertEquals(0, containers.wait(writer.id()));
    assertEquals("from-reader\n", containers.logs(writer.id()).stdout());
    assertEquals(List.of("writer"), volumes.inspect("shared").containers());
  }

  @Test
  void bindMount_hidesTheImagesFilesAtItsTarget() throws IOException {
    Files.writeString(hostDir.resolve("only-this"), "host\n");
    RunResult r = run(RunOptions.defaults().withMount("type=bind,source=" + hostDir + ",target=/etc,readonly"),
        "ls /etc; cat /etc/only-this");
    assertEquals("only-this\nhost\n", r.stdout(), r.output());
  }

  @Test
  void bindMount_isResolvedToItsRealPathOnce_andWritesReachTheHost() throws IOException {
    Path real = Files.createDirectory(hostDir.resolve("real"));
    Path link = Files.createSymbolicLink(hostDir.resolve("link"), real);
    ContainerRecord c = containers.create(busybox, "busybox",
        RunOptions.defaults().withVolume(link + ":/out").withCommand(List.of("sh", "-c", "echo hi > /out/f")), null);
    assertEquals(real.toRealPath().toString(), mountAt(containers.spec(c.id()), "/out").source());
    assertEquals(0, containers.start(c.id(), OutputListener.NONE).exitCode());
    assertEquals("hi\n", Files.readString(real.resolve("f")));
  }

  @Test
  void volumeFlag_createsAMissingHostDirectory_butMountFlagRefusesIt() {
    Path missing = hostDir.resolve("made/by/minke");
    RunResult r = run(RunOptions.defaults().withVolume(missing + ":/made"), "echo yes > /made/f");
    assertEquals(0, r.exitCode(), r.output());
    assertTrue(Files.isRegularFile(missing.resolve("f")));

    Path absent = hostDir.resolve("absent");
    Descriptor image = build(from("busybox").volume("/data"));
    BindSourceNotFoundException e = assertThrows(BindSourceNotFoundException.class, () -> containers.create(image,
        "vol", RunOptions.defaults().withMount("type=bind,src=" + absent + ",dst=/x").withCommand(List.of("true")),
        null));
    assertTrue(e.getMessage().contains("bind source path does not exist: " + absent), e.getMessage());
    assertEquals(List.of(), containers.list(true), "no container is left");
    assertEquals(List.of(), volumes.list(), "no anonymous volume was made for the image's VOLUME");
    assertFalse(Files.exists(absent), "the host path was not created");
  }

  @Test
  void emptyVolume_isFilledFromTheImage_withOwnersModesAndWhiteouts_aNonEmptyOneIsNot() throws IOException {
    Descriptor seeded = commit(busybox, "mkdir -p /seed/sub && echo one > /seed/a && echo two > /seed/b"
        + " && ln -s a /seed/link && ln /seed/a /seed/hard && chown 7:8 /seed/a && chmod 604 /seed/a"
        + " && chown 9:9 /seed && chmod 750 /seed");
    Descriptor image = commit(seeded, "rm /seed/b"); // a layer whose whiteout hides b
    RunResult r = run(image, RunOptions.defaults().withVolume("seeded:/seed"), "ls /seed; cat /seed/a");
    assertEquals("a\nhard\nlink\nsub\none\n", r.stdout(), r.output());
    Path data = Path.of(volumes.inspect("seeded").mountpoint());
    assertEquals(Map.of("uid", 7, "gid", 8, "mode", 0100604), unix(data.resolve("a")));
    assertEquals(Map.of("uid", 9, "gid", 9, "mode", 040750), unix(data), "the volume's root takes the directory's");
    assertEquals(Path.of("a"), Files.readSymbolicLink(data.resolve("link")));
    assertTrue(Files.isSameFile(data.resolve("a"), data.resolve("hard")), "a hardlink stays one");
    assertFalse(Files.exists(data.resolve("b"), LinkOption.NOFOLLOW_LINKS), "the whiteout hides b");

    volumes.create("prefilled");
    Files.writeString(Path.of(volumes.inspect("prefilled").mountpoint()).resolve("mine"), "mine\n");
    RunResult kept = run(image, RunOptions.defaults().withVolume("prefilled:/seed"), "ls /seed");
    assertEquals("mine\n", kept.stdout(), kept.output());

    RunResult noCopy = run(image, RunOptions.defaults().withMount("type=volume,src=bare,dst=/seed,volume-nocopy"),
        "ls -A /seed | wc -l");
    assertEquals("0", noCopy.stdout().trim(), noCopy.output());
  }

  @Test
  void readOnlyVolume_refusesWrites() {
    RunResult r = run(RunOptions.defaults().withVolume("ro:/data:ro"), "echo x > /data/f");
    assertNotEquals(0, r.exitCode());
    assertTrue(r.stderr().contains("Read-only file system"), r.output());
    RunResult rw = run(RunOptions.defaults().withVolume("ro:/data"), "echo x > /data/f && cat /data/f");
    assertEquals("x\n", rw.stdout(), rw.output());
  }

  @Test
  void tmpfs_isMountedWithItsSizeAndDockersDefaults() {
    RunResult r = run(RunOptions.defaults().withTmpfs("/run", "size=64m"), "grep ' /run ' /proc/mounts");
    assertTrue(r.stdout().startsWith("tmpfs /run tmpfs rw,nosuid,nodev,noexec"), r.output());
    assertTrue(r.stdout().contains("size=65536k"), r.output());
    assertEquals(List.of(), volumes.list(), "a tmpfs is no volume");
  }

  @Test
  void removingAVolumeInUse_failsNamingTheContainer_untilItIsRemoved() {
    ContainerRecord db = containers.create(busybox, "busybox",
        RunOptions.defaults().withVolume("dbvol:/db").withCommand(List.of("true")), "db");
    VolumeInUseException e = assertThrows(VolumeInUseException.class, () -> volumes.remove("dbvol"));
    assertEquals(List.of("db"), e.containers());
    assertTrue(e.getMessage().contains("volume dbvol is in use by container db"), e.getMessage());
    assertEquals(List.of(), volumes.prune(), "prune keeps volumes in use");

    containers.remove(db.id());
    volumes.remove("dbvol");
    assertThrows(dev.minke.store.VolumeNotFoundException.class, () -> volumes.inspect("dbvol"));
  }

  @Test
  void runWithRm_removesAnonymousVolumes_butKeepsNamedOnes() {
    Descriptor image = build(from("busybox").volume("/data"));
    RunResult r = run(image, RunOptions.defaults().withVolume("keep:/keep").withVolume("/anon"),
        "echo a > /data/a; echo k > /keep/k; echo n > /anon/n");
    assertEquals(0, r.exitCode(), r.output());
    assertEquals(List.of("keep"), volumes.list().stream().map(VolumeInfo::name).toList());
  }

  @Test
  void configJson_holdsTheMountsInDepthOrder_afterDockersStandardOnes() {
    ContainerRecord c = containers.create(busybox, "busybox", RunOptions.defaults()
        .withVolume("deep:/data/deep").withVolume("top:/data:ro").withTmpfs("/tmp", "mode=1777")
        .withCommand(List.of("true")), null);
    List<RuntimeSpec.Mount> mounts = containers.spec(c.id()).mounts();
    assertEquals(DockerDefaults.mounts(), mounts.subList(0, DockerDefaults.mounts().size()));
    List<RuntimeSpec.Mount> extra = mounts.subList(DockerDefaults.mounts().size(), mounts.size());
    assertEquals(List.of("/data", "/tmp", "/data/deep"), extra.stream().map(RuntimeSpec.Mount::destination).toList());
    assertEquals(List.of("rbind", "rprivate", "ro"), extra.get(0).options());
    assertEquals(new RuntimeSpec.Mount("/tmp", "tmpfs", "tmpfs", List.of("nosuid", "nodev", "noexec", "mode=1777", "rw")),
        extra.get(1));
  }

  /** A new image: {@code image} plus the changes {@code script} makes ({@code docker commit}). */
  Descriptor commit(Descriptor image, String script) {
    ContainerRecord c = containers.create(image, "seed", RunOptions.defaults().withCommand(List.of("sh", "-c", script)),
        null);
    RunResult r = containers.start(c.id(), OutputListener.NONE);
    assertEquals(0, r.exitCode(), r.output());
    Descriptor committed = containers.commit(c.id(), null, "seed");
    containers.remove(c.id());
    return committed;
  }

  static RuntimeSpec.Mount mountAt(RuntimeSpec spec, String destination) {
    return spec.mounts().stream().filter(m -> m.destination().equals(destination)).findFirst().orElseThrow();
  }

  static String readHost(VolumeInfo volume, String file) {
    try {
      return Files.readString(Path.of(volume.mountpoint()).resolve(file));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static Map<String, Object> unix(Path path) throws IOException {
    return Map.copyOf(Files.readAttributes(path, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS));
  }
}
