package dev.minke.runtime;

import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.image.ImageConfig;
import dev.minke.image.Json;
import dev.minke.image.Manifest;
import dev.minke.store.Store;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Where the time of one in-process {@code run("true")} goes: the steps of Containers.run,
 * AttachedRun.run and Containers.remove, in their order, each timed on its own. It is a copy of
 * those steps, kept in step by hand (so it lives in the runtime's package and must be compiled
 * onto the class path, not run with the source launcher). Prints the median per phase over
 * RUNS runs after WARMUP.
 * javac -cp CP -d OUT bench/run-start/Phases.java; java -cp OUT:CP dev.minke.runtime.Phases STORE WARMUP RUNS
 */
public class Phases {
  private static final Map<String, List<Double>> TIMES = new LinkedHashMap<>();
  private static long mark;

  private static void lap(String phase, boolean keep) {
    long now = System.nanoTime();
    if (keep) {
      TIMES.computeIfAbsent(phase, k -> new ArrayList<>()).add((now - mark) / 1e6);
    }
    mark = now;
  }

  public static void main(String[] args) throws Exception {
    Store store = Store.open(Path.of(args[0]));
    int warmup = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Descriptor busybox = store.images().resolve(BusyboxImage.NAME).orElseThrow();
    ContainerStore records = new ContainerStore(store.home());
    RunOptions options = RunOptions.defaults().withCommand(List.of("true")).withNetwork("none");
    for (int i = 0; i < warmup + runs; i++) {
      boolean keep = i >= warmup;
      long start = System.nanoTime();
      mark = start;
      // Containers.run: the cgroups are detected once for the whole run
      Cgroups cgroups = Cgroups.detect();
      lap("run: detect cgroups (mountinfo), once per run", keep);
      // Containers.create
      Manifest manifest = store.manifest(busybox.digest());
      ImageConfig image = store.config(manifest);
      List<Path> layers = store.snapshots().prepare(manifest, image);
      lap("create: manifest+config+snapshot check", keep);
      String id = HexFormat.of().formatHex(randomBytes());
      ImageAccounts accounts = new ImageAccounts(read(layers, "etc/passwd"), read(layers, "etc/group"));
      RuntimeSpec spec = SpecBuilder.build(image.config(), options, accounts, id, false, 0, 0);
      lap("create: id + read passwd/group + build spec", keep);
      ContainerRecord record = new ContainerRecord(id, "minke_" + id.substring(0, 12), "busybox",
          busybox.digest().toString(), Instant.now().toString(), spec.process().args(),
          ContainerRecord.State.CREATED, 0, 0, 0, null, false, null, null, null, null);
      records.create(record);
      Files.write(records.dir(id).resolve("config.json"), Json.bytes(spec));
      lap("create: mkdirs + record + config.json", keep);
      List<String> lowers = new ArrayList<>();
      for (var chainId : image.rootfs().chainIds()) {
        lowers.add(0, store.snapshots().link(chainId));
      }
      Path dir = records.dir(id);
      RootfsPlan plan = new RootfsPlan(store.snapshots().linkDir(), lowers, dir.resolve("upper"), dir.resolve("work"),
          dir.resolve("rootfs"));
      lap("create: overlay plan (links; manifest/config already read)", keep);
      // Containers.startAttached (no record lookup, no second manifest read, spec kept)
      RuntimeBackend backend = Runtimes.select(store.home());
      lap("start: select runtime (remembered minke-init)", keep);
      // AttachedRun.run
      CgroupHandle cgroup = cgroups.create(id, spec.linux().resources());
      lap("run: create cgroup + limits", keep);
      ContainerLaunch launch = new ContainerLaunch(id, dir, spec, plan, cgroup.procsFiles(),
          ProcessBuilder.Redirect.PIPE, ProcessBuilder.Redirect.PIPE);
      ContainerProcess process = backend.start(launch);
      lap("run: write init.spec + fork/exec minke-init", keep);
      ContainerRecord running = record.running(process.monitorPid(), 0, 0, Instant.now().toString(), backend.name());
      records.save(running);
      lap("run: save record (running)", keep);
      Thread out = drain(process.stdout(), dir.resolve("stdout.log"));
      Thread err = drain(process.stderr(), dir.resolve("stderr.log"));
      process.containerPid();
      int code = process.waitFor();
      lap("run: wait for minke-init (setup, true, exit)", keep);
      out.join();
      err.join();
      boolean oom = cgroup.oomKilled();
      process.setupError();
      records.save(running.exited(code, oom, Instant.now().toString(), null));
      lap("run: join pumps, oom, report, save record (exited)", keep);
      cgroup.close();
      lap("run: remove cgroup", keep);
      // Containers.remove
      records.get(id); // a full ID: one file, no listing
      cgroups.open(id).close();
      lap("rm: find record, cgroup check", keep);
      records.delete(id);
      lap("rm: delete the container dir", keep);
      if (code != 0) {
        throw new IllegalStateException("exit " + code);
      }
      if (keep) {
        TIMES.computeIfAbsent("TOTAL", k -> new ArrayList<>()).add((System.nanoTime() - start) / 1e6);
      }
    }
    for (var e : TIMES.entrySet()) {
      List<Double> v = new ArrayList<>(e.getValue());
      v.sort(null);
      double median = v.size() % 2 == 1 ? v.get(v.size() / 2) : (v.get(v.size() / 2 - 1) + v.get(v.size() / 2)) / 2;
      System.out.printf("%-55s %8.2f ms  [p10 %6.2f  p90 %6.2f]%n", e.getKey(), median,
          v.get(v.size() / 10), v.get(v.size() * 9 / 10));
    }
  }

  private static String read(List<Path> layers, String path) throws Exception {
    for (int i = layers.size() - 1; i >= 0; i--) {
      Path file = layers.get(i).resolve(path);
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return Files.readString(file);
      }
    }
    return "";
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return b;
  }

  private static Thread drain(InputStream in, Path log) {
    Thread t = new Thread(() -> {
      try (in; var file = Files.newOutputStream(log)) {
        in.transferTo(file);
      } catch (Exception e) {
        // closed
      }
    });
    t.setDaemon(true);
    t.start();
    return t;
  }
}
