package dev.minke.dsl;

import dev.minke.image.ContainerChanges;
import dev.minke.registry.Reference;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.runtime.ExecOptions;
import dev.minke.runtime.RunResult;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.store.Store;
import java.util.List;

/**
 * A container as a value a user holds in JShell: its record (state, exit code), and the Docker
 * verbs that act on it — logs, exec, stop, kill, wait, diff, commit, remove. Each call reads the
 * state from the store, so another JVM's changes are seen.
 */
public final class Container {
  private final Store store;
  private final Containers containers;
  private final String id;

  Container(Store store, String id) {
    this.store = store;
    this.containers = new Containers(store);
    this.id = id;
  }

  /** The record as the store has it now. */
  public ContainerRecord record() {
    return containers.get(id);
  }

  public String id() {
    return id;
  }

  public String name() {
    return record().name();
  }

  public ContainerRecord.State state() {
    return record().state();
  }

  /** The exit code once the container has ended. */
  public Integer exitCode() {
    return record().exitCode();
  }

  /** The OCI runtime spec ({@code config.json}) the container was started with. */
  public RuntimeSpec config() {
    return containers.spec(id);
  }

  /** What the container wrote, stdout then stderr ({@code docker logs}). */
  public String logs() {
    return containers.logs(id).all();
  }

  /**
   * Runs a command inside the running container ({@code docker exec}); output is printed as
   * written. An interrupt of the calling thread kills the command (SIGTERM, SIGKILL after 2 s)
   * and throws {@link dev.minke.runtime.RunInterruptedException}; the container runs on.
   */
  public RunResult exec(String... command) {
    return containers.exec(id, ExecOptions.of(command), ConsoleOutput.INSTANCE);
  }

  /** SIGTERM, then SIGKILL after 10 seconds ({@code docker stop}); returns the exit code. */
  public int stop() {
    return containers.stop(id);
  }

  /** SIGKILL ({@code docker kill}). */
  public void kill() {
    containers.kill(id);
  }

  /**
   * Waits for the container to end; returns its exit code. An interrupt of the calling thread
   * ends the wait with {@link dev.minke.runtime.WaitInterruptedException}; the container runs on.
   */
  public int waitFor() {
    return containers.wait(id);
  }

  /** What the container changed in its filesystem ({@code docker diff}). */
  public List<ContainerChanges.Change> diff() {
    return containers.diff(id);
  }

  /** The container's filesystem as a new image, tagged {@code name} ({@code docker commit}). */
  public Image commit(String name) {
    Reference tag = Reference.parse(name);
    return Image.of(store, containers.commit(id, tag, null), tag);
  }

  /** Removes the container, killing it first if it runs ({@code docker rm -f}). */
  public void remove() {
    containers.remove(id, true);
  }

  @Override
  public String toString() {
    ContainerRecord r = record();
    String status = switch (r.state()) {
      case CREATED -> "created";
      case RUNNING -> "running";
      case EXITED -> "exited (" + r.exitCode() + ")" + (r.oomKilled() ? " OOM killed" : "");
    };
    return "Container[" + r.name() + " " + status + " " + r.image() + " " + String.join(" ", r.command()) + "]";
  }
}
