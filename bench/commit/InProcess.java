import dev.minke.image.DirectoryLayerOptions;
import dev.minke.image.DirectoryLayers;
import dev.minke.image.LayerBlob;
import dev.minke.image.LayerEntry;
import dev.minke.image.LayerWriter;
import dev.minke.image.LayerWriterOptions;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The commit benchmark's in-process side: the same commit as `minke layer create`, repeated in
 * one JVM the way a JShell or notebook session repeats builds. Round 1 warms the JIT; each round
 * prints "wall_seconds cpu_seconds digest". Run with the single-file source launcher:
 * java -cp CLASSPATH bench/commit/InProcess.java TREE OUTFILE ROUNDS
 */
public class InProcess {
  public static void main(String[] args) throws Exception {
    Path tree = Path.of(args[0]);
    Path out = Path.of(args[1]);
    int rounds = Integer.parseInt(args[2]);
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    for (int round = 0; round < rounds; round++) {
      long wallStart = System.nanoTime();
      long cpuStart = os.getProcessCpuTime();
      List<LayerEntry> entries = DirectoryLayers.entries(tree, DirectoryLayerOptions.defaults());
      LayerBlob blob;
      try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
        blob = new LayerWriter(LayerWriterOptions.defaults()).write(entries, file);
      }
      double wall = (System.nanoTime() - wallStart) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuStart) / 1e9;
      System.out.printf("%.3f %.3f %s%n", wall, cpu, blob.digest());
    }
  }
}
