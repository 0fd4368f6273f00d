package dev.minke.runtime;

import java.io.IOException;

/** A way to run a container from a launch description: minke-init, or runc/crun on the same bundle. */
public interface RuntimeBackend {
  /** {@code minke-init}, {@code runc} or {@code crun}. */
  String name();

  /** Whether the backend makes the container's cgroups itself (runc, crun) rather than Java. */
  default boolean managesCgroups() {
    return false;
  }

  /** Starts the container; the returned process ends when the container does. */
  ContainerProcess start(ContainerLaunch launch) throws IOException;

  /**
   * Starts one more process in the running container; the returned process ends with it and
   * its exit status is the process's, by the same rules as {@link #start}.
   */
  default ContainerProcess exec(ExecLaunch launch) throws IOException {
    throw new NoRuntimeException("the " + name() + " backend cannot run a process in a running container");
  }

  /**
   * Starts the container detached ({@code docker run -d}): the monitor runs under a wrapper that
   * outlives this JVM, writes the monitor's PID and, at the end, its exit status into the
   * container's directory ({@link DetachedMonitor}). The returned process is the wrapper.
   */
  default ContainerProcess startDetached(ContainerLaunch launch) throws IOException {
    throw new UnsupportedOperationException(name() + " cannot start containers detached");
  }
}
