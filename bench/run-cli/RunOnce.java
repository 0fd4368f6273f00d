import dev.minke.build.BusyboxImage;
import dev.minke.runtime.Containers;
import dev.minke.runtime.OutputListener;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.RunResult;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.util.List;

/**
 * Stand-in for `minke run --rm busybox true` until the CLI has a run verb: one JVM that opens
 * the store, runs one busybox container with the command `true`, removes it and exits with the
 * container's exit code. bench/run-cli/run compiles it once and times whole processes.
 * java -cp CLASSES:CLASSPATH RunOnce STORE
 */
public class RunOnce {
  public static void main(String[] args) {
    Store store = Store.open(Path.of(args[0]));
    RunResult r = new Containers(store).run(store.require(BusyboxImage.NAME), "busybox",
        RunOptions.defaults().withCommand(List.of("true")).withNetwork("none"), OutputListener.NONE, true);
    System.exit(r.exitCode());
  }
}
