package dev.minke.runtime;

import dev.minke.build.BusyboxImage;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.util.List;

/**
 * A second JVM for {@link ContainerLifecycleIT}: starts a detached {@code sleep} in the store
 * given, prints its ID, and then exits ({@code exit}) or waits to be killed ({@code hang}).
 */
public final class DetachedStarter {
  private DetachedStarter() {}

  public static void main(String[] args) throws InterruptedException {
    Store store = Store.open(Path.of(args[0]));
    Containers containers = new Containers(store);
    ContainerRecord record = containers.create(store.require(BusyboxImage.NAME), "busybox",
        RunOptions.defaults().withCommand(List.of("sleep", "1000")), args[1]);
    containers.startDetached(record.id());
    System.out.println("started " + record.id());
    System.out.flush();
    if (args[2].equals("exit")) {
      System.exit(0);
    }
    Thread.sleep(Long.MAX_VALUE);
  }
}
