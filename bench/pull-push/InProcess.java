import dev.minke.Minke;
import dev.minke.build.BuildOptions;
import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import dev.minke.registry.RegistryOptions;
import dev.minke.store.ImagePull;
import dev.minke.store.ImagePush;
import dev.minke.store.PullOptions;
import dev.minke.store.PullPolicy;
import dev.minke.store.PullResult;
import dev.minke.store.PushOptions;
import dev.minke.store.PushResult;
import dev.minke.store.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The pull-push benchmark's driver (see bench/README.md). Two modes, run with the single-file
 * source launcher: java -cp CLASSPATH bench/pull-push/InProcess.java ...
 *
 * <pre>
 * make STORE DATA NAME       builds a 5-layer image from DATA/l1..l5 into STORE, tagged NAME
 * bench STORE NAME REGISTRY STORAGE WORK ROUNDS WARMUP CLASSPATH
 * </pre>
 *
 * {@code bench} alternates, every round in a rotated order: Minke in this warm JVM, Minke as a
 * new {@code java ... dev.minke.cli.Main} process, and {@code skopeo copy}. Every push goes to an
 * empty registry (STORAGE/docker is deleted first); every pull goes to a new, empty directory.
 * Prints one line per timed operation: "op side round wall_seconds [cpu_seconds] digest".
 */
public class InProcess {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("make")) {
      make(Path.of(args[1]), Path.of(args[2]), args[3]);
    } else {
      bench(args);
    }
  }

  static void make(Path storeDir, Path data, String name) {
    Store store = Store.open(storeDir);
    Image image = Minke.scratch().context(data.toString())
        .copy("l1/", "/l1/").copy("l2/", "/l2/").copy("l3/", "/l3/").copy("l4/", "/l4/").copy("l5/", "/l5/")
        .buildIn(store, BuildOptions.defaults());
    image.tag(name);
    System.out.println(image.digest() + " " + image.compressedSizeBytes());
  }

  static final String SKOPEO = "skopeo";

  static void bench(String[] args) throws Exception {
    Path storeDir = Path.of(args[1]);
    String name = args[2];
    String registry = args[3];
    Path storage = Path.of(args[4]);
    Path work = Path.of(args[5]);
    int rounds = Integer.parseInt(args[6]);
    int warmup = Integer.parseInt(args[7]);
    String classpath = args[8];
    Store store = Store.open(storeDir);
    Reference source = Reference.parse(name);
    String fullName = source.toString();
    Reference target = Reference.parse(registry + "/bench/big:1");
    RegistryOptions registryOptions = RegistryOptions.defaults().withMirror(null);
    PushOptions pushOptions = PushOptions.defaults().withRegistry(registryOptions);
    PullOptions pullOptions = PullOptions.defaults().withPolicy(PullPolicy.ALWAYS).withRegistry(registryOptions);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    List<String> sides = List.of("minke-inprocess", "minke-cli", "skopeo");
    for (int round = -warmup; round < rounds; round++) {
      boolean timed = round >= 0;
      List<String> order = new ArrayList<>(sides);
      java.util.Collections.rotate(order, Math.floorMod(round, sides.size()));
      if (!timed) {
        order = List.of("minke-inprocess"); // Warm-up: the JIT only.
      }
      // Push: each side into an empty registry.
      for (String side : order) {
        wipe(storage.resolve("docker"));
        long wall = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        String digest;
        switch (side) {
          case "minke-inprocess" -> {
            PushResult result = ImagePush.push(store, source, target, pushOptions);
            if (result.blobsUploaded() != store.manifest(result.digest()).layers().size() + 1) {
              throw new IllegalStateException("not every blob was uploaded: " + result);
            }
            digest = result.digest().toString();
          }
          case "minke-cli" -> digest = runProcess(List.of("java", "-cp", classpath,
              "-Dminke.home=" + storeDir, "dev.minke.cli.Main", "push", name, target.toString()));
          default -> digest = runProcess(List.of(SKOPEO, "copy", "-q", "--dest-tls-verify=false",
              "oci:" + storeDir + ":" + fullName, "docker://" + target));
        }
        report("push", side, round, wall, side.equals("minke-inprocess") ? cpu : -1, os, digest);
      }
      // The registry now holds the image as the last side pushed it (all push the same blobs).
      for (String side : order) {
        Path dest = work.resolve("pull-" + side);
        wipe(dest);
        long wall = System.nanoTime();
        long cpu = os.getProcessCpuTime();
        String digest;
        switch (side) {
          case "minke-inprocess" -> {
            PullResult result = ImagePull.pull(Store.open(dest), target, pullOptions);
            digest = result.manifest().digest().toString();
          }
          case "minke-cli" -> digest = runProcess(List.of("java", "-cp", classpath,
              "-Dminke.home=" + dest, "dev.minke.cli.Main", "pull", target.toString()));
          default -> digest = runProcess(List.of(SKOPEO, "copy", "-q", "--src-tls-verify=false",
              "docker://" + target, "oci:" + dest + ":bench"));
        }
        report("pull", side, round, wall, side.equals("minke-inprocess") ? cpu : -1, os, digest);
      }
    }
  }

  static void report(String op, String side, int round, long wallStart, long cpuStart,
      com.sun.management.OperatingSystemMXBean os, String digest) {
    double wall = (System.nanoTime() - wallStart) / 1e9;
    String cpu = cpuStart < 0 ? "-" : String.format("%.3f", (os.getProcessCpuTime() - cpuStart) / 1e9);
    System.out.printf("%s %s %d %.3f %s %s%n", op, side, round, wall, cpu, digest);
    System.out.flush();
  }

  static String runProcess(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    int at = output.lastIndexOf("sha256:");
    return at < 0 ? "-" : output.substring(at, Math.min(output.length(), at + 71));
  }

  static void wipe(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> paths = Files.walk(dir)) {
        for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }
}
