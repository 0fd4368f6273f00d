import dev.minke.build.BusyboxImage;
import dev.minke.image.Descriptor;
import dev.minke.image.ImageConfig;
import dev.minke.image.Manifest;
import dev.minke.runtime.Containers;
import dev.minke.runtime.OutputListener;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.RunResult;
import dev.minke.store.Store;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;

/**
 * The run-start benchmark's Minke side: {@code docker run --rm busybox true} as a library call,
 * repeated in one JVM. Opens (or creates) the store at STORE, makes busybox:latest from
 * /bin/busybox, runs WARMUP containers that are not counted, then RUNS timed ones; each timed
 * run prints "wall_ms cpu_ms" (CPU is this JVM's, all threads). The first line is
 * "rootfs PATH": the busybox snapshot, which the crun/runc side copies as its rootfs.
 * Run with the single-file source launcher:
 * java -cp CLASSPATH bench/run-start/InProcess.java STORE WARMUP RUNS
 */
public class InProcess {
  public static void main(String[] args) {
    Store store = Store.open(Path.of(args[0]));
    int warmup = Integer.parseInt(args[1]);
    int runs = Integer.parseInt(args[2]);
    Descriptor busybox = BusyboxImage.make(store, Path.of("/bin/busybox"), 0).manifestDescriptor();
    Manifest manifest = store.manifest(busybox.digest());
    ImageConfig config = store.config(manifest);
    List<Path> layers = store.snapshots().prepare(manifest, config);
    System.out.println("rootfs " + layers.get(layers.size() - 1));
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    Containers containers = new Containers(store);
    // No network, as the peers' own specs (a network namespace with no interfaces): Minke's default
    // is its bridge where one can be set up, a veth pair per container (~0.4 s here).
    RunOptions options = RunOptions.defaults().withCommand(List.of("true")).withNetwork("none");
    for (int i = 0; i < warmup + runs; i++) {
      long wall = System.nanoTime();
      long cpu = os.getProcessCpuTime();
      RunResult r = containers.run(busybox, "busybox", options, OutputListener.NONE, true);
      double wallMs = (System.nanoTime() - wall) / 1e6;
      double cpuMs = (os.getProcessCpuTime() - cpu) / 1e6;
      if (r.exitCode() != 0) {
        throw new IllegalStateException("run " + i + " exited " + r.exitCode() + ": " + r.output());
      }
      if (i >= warmup) {
        System.out.printf("%.3f %.3f%n", wallMs, cpuMs);
      }
    }
    if (!containers.records().list().isEmpty()) {
      throw new IllegalStateException("containers left behind: " + containers.records().list());
    }
  }
}
