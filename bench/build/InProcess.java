import dev.minke.Minke;
import dev.minke.build.BuildEvent;
import dev.minke.build.BuildOptions;
import dev.minke.build.StepResult;
import dev.minke.build.Verdict;
import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import dev.minke.image.OverlayUpperDir;
import dev.minke.image.OverlayUpperOptions;
import dev.minke.store.BlobWriter;
import dev.minke.store.Operation;
import dev.minke.store.Store;
import dev.minke.image.MediaType.Compression;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The build benchmark's in-process side (bench/build/run): one warm JVM, as a JShell or notebook
 * session rebuilds. Run with the single-file source launcher:
 *
 * <pre>
 * java -cp CLASSPATH bench/build/InProcess.java cached STORE CONTEXT WARMUP RUNS OUT   # 10-step stage, all cached
 * java -cp CLASSPATH bench/build/InProcess.java copy   STORE CONTEXT WARMUP RUNS OUT [gzip|zstd|none]  # one of 2000 copied files changed
 * java -cp CLASSPATH bench/build/InProcess.java upper  STORE UPPERDIR WARMUP RUNS OUT  # layer from an overlay upper dir
 * </pre>
 *
 * Writes one wall time in ms per timed run to OUT and a per-phase breakdown (medians) to
 * OUT.phases (and the process CPU time of each timed build to OUT.cpu). The stages below are the Dockerfiles the script prints, step for step.
 */
public class InProcess {
  /** FROM busybox + 10 steps: 3 COPY, 3 RUN, 2 ENV, 2 WORKDIR (context: config/, bin/, README.txt). */
  static Stage tenSteps(Path context) {
    return Minke.from("busybox")
        .workdir("/app")
        .env("APP_HOME", "/app")
        .copy("config/", "/app/config/")
        .run("mkdir -p /app/data && echo one > /app/data/one.txt")
        .copy("bin/", "/app/bin/")
        .env("MODE", "bench")
        .run("chmod 0755 /app/bin/* && echo two > /app/data/two.txt")
        .workdir("/app/data")
        .copy("README.txt", "./")
        .run("ls /app > listing.txt")
        .context(context);
  }

  /** FROM busybox + COPY of 2000 files + a RUN after it (the peer baselines' partial build, minus RUN dd). */
  static Stage bigCopy(Path context) {
    return Minke.from("busybox")
        .copy("files/", "/data/")
        .run("echo built > /built.txt")
        .context(context);
  }

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    Store store = Store.open(Path.of(args[1]));
    Path dir = Path.of(args[2]);
    int warmup = Integer.parseInt(args[3]);
    int runs = Integer.parseInt(args[4]);
    Path out = Path.of(args[5]);
    BuildOptions base = BuildOptions.defaults().withSourceDateEpoch(0);
    switch (mode) {
      case "cached" -> builds(store, tenSteps(dir), null, warmup, runs, out, Verdict.CACHED, base);
      case "copy" -> builds(store, bigCopy(dir), dir.resolve("files/f0000"), warmup, runs, out, Verdict.BUILT,
          args.length > 6 ? base.withCompression(Compression.valueOf(args[6].toUpperCase())) : base);
      case "upper" -> upper(store, dir, warmup, runs, out);
      default -> throw new IllegalArgumentException(mode);
    }
  }

  /**
   * Builds the stage once (not counted), then WARMUP + RUNS more times, timing each whole
   * {@code buildIn} + tag. With {@code touch}, that file gets new content before each build
   * (outside the timing), so the COPY and everything after it rebuild; {@code expect} is the
   * verdict every step must then have (CACHED), or the COPY and later steps (BUILT).
   */
  static void builds(Store store, Stage stage, Path touch, int warmup, int runs, Path out, Verdict expect,
      BuildOptions base) throws Exception {
    long t0 = System.nanoTime();
    Image first = stage.buildIn(store, base).tag("minke-bench/build:latest");
    System.err.printf("first build (cached from earlier runs or not): %.1f ms, %s%n",
        (System.nanoTime() - t0) / 1e6, first.digest());
    int steps = stage.steps().size();
    // phases: [0] before the first step, [1..steps] each step, [steps+1] after the last step (finish), [steps+2] tag
    List<long[]> phases = new ArrayList<>();
    List<Double> ms = new ArrayList<>();
    List<Double> cpu = new ArrayList<>();
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int i = 0; i < warmup + runs; i++) {
      if (touch != null) {
        Files.writeString(touch, Long.toString(System.nanoTime()) + "\n", StandardCharsets.UTF_8);
      }
      long[] marks = new long[steps * 2 + 3];
      BuildOptions options = base.withListener(e -> {
        if (e instanceof BuildEvent.StepStarted s) {
          marks[1 + 2 * s.index()] = System.nanoTime();
        } else if (e instanceof BuildEvent.StepFinished f) {
          marks[2 + 2 * f.index()] = System.nanoTime();
        }
      });
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      Image image = stage.buildIn(store, options);
      long built = System.nanoTime();
      image.tag("minke-bench/build:latest");
      long end = System.nanoTime();
      long cpuEnd = os.getProcessCpuTime();
      marks[0] = start;
      marks[marks.length - 2] = built;
      marks[marks.length - 1] = end;
      check(image.steps(), expect);
      if (i >= warmup) {
        ms.add((end - start) / 1e6);
        cpu.add((cpuEnd - cpuStart) / 1e6);
        long[] p = new long[steps + 3];
        p[0] = marks[1] - marks[0];
        for (int s = 0; s < steps; s++) {
          p[1 + s] = marks[2 + 2 * s] - marks[1 + 2 * s];
        }
        p[steps + 1] = built - marks[2 * steps];
        p[steps + 2] = end - built;
        phases.add(p);
      }
    }
    write(out, ms);
    write(Path.of(out + ".cpu"), cpu);
    List<String> names = new ArrayList<>();
    names.add("before step 1 (open operation, resolve base, read manifest + config)");
    stage.steps().forEach(s -> names.add(s.createdBy()));
    names.add("after the last step (config + manifest blobs, index, commit, cache flush)");
    names.add("tag");
    try (PrintStream p = new PrintStream(Files.newOutputStream(Path.of(out + ".phases")))) {
      for (int k = 0; k < names.size(); k++) {
        final int kk = k;
        p.printf("%8.2f  %s%n", median(phases.stream().map(a -> a[kk] / 1e6).toList()), names.get(k));
      }
    }
  }

  static void check(List<StepResult> results, Verdict expect) {
    for (StepResult r : results) {
      Verdict want = expect;
      if (r.verdict() != want) {
        throw new IllegalStateException("step " + (r.index() + 1) + " " + r.createdBy() + ": " + r.verdict()
            + " (" + r.reason() + "), expected " + want);
      }
    }
  }

  /**
   * The layer-making half of a RUN step: the changes in an overlay upper directory (left by a
   * real overlay mount over a 20k-file lower, one file changed) listed with OverlayUpperDir, then
   * written as a gzip layer blob into the store and committed, as RunLayer.writeLayer does.
   */
  static void upper(Store store, Path upper, int warmup, int runs, Path out) throws Exception {
    LayerWriterOptions options = LayerWriterOptions.defaults().withMtimeEpochSeconds(0);
    List<Double> ms = new ArrayList<>();
    List<long[]> phases = new ArrayList<>();
    String digest = null;
    int count = 0;
    for (int i = 0; i < warmup + runs; i++) {
      try (Operation operation = store.operation()) {
        long start = System.nanoTime();
        List<LayerEntry> entries = OverlayUpperDir.entries(upper, OverlayUpperOptions.defaults());
        long listed = System.nanoTime();
        LayerBlob blob;
        try (BlobWriter w = operation.newWriter()) {
          blob = new LayerWriter(options).write(entries, w);
          w.commit();
        }
        long end = System.nanoTime();
        operation.commit();
        count = entries.size();
        digest = blob.digest().toString();
        if (i >= warmup) {
          ms.add((end - start) / 1e6);
          phases.add(new long[] {listed - start, end - listed});
        }
      }
    }
    write(out, ms);
    try (PrintStream p = new PrintStream(Files.newOutputStream(Path.of(out + ".phases")))) {
      p.printf("%8.2f  OverlayUpperDir.entries (walk the upper dir, %d entries)%n",
          median(phases.stream().map(a -> a[0] / 1e6).toList()), count);
      p.printf("%8.2f  LayerWriter.write (tar + gzip + 2 sha256) into a BlobWriter + commit%n",
          median(phases.stream().map(a -> a[1] / 1e6).toList()));
      p.printf("layer digest %s%n", digest);
    }
  }

  static void write(Path out, List<Double> ms) throws Exception {
    StringBuilder sb = new StringBuilder();
    ms.forEach(v -> sb.append(String.format("%.3f%n", v)));
    Files.writeString(out, sb.toString());
  }

  static double median(List<Double> values) {
    double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
  }
}
