package dev.minke.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the store remembers of one container ({@code containers/<id>/container.json}), so that
 * every JVM sees the same containers: its image, command, state, PIDs and how it ended.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerRecord(
    String id,
    String name,
    String image,
    String imageDigest,
    String created,
    List<String> command,
    State state,
    long monitorPid,
    long monitorStartTicks,
    long containerPid,
    Integer exitCode,
    boolean oomKilled,
    String startedAt,
    String finishedAt,
    String backend,
    String error) {

  /** Docker's container states, the ones Minke has. */
  public enum State {
    CREATED,
    RUNNING,
    EXITED
  }

  public ContainerRecord {
    command = command == null ? List.of() : List.copyOf(command);
  }

  /** The first 12 hex digits, as Docker shows container IDs. */
  public String shortId() {
    return id.substring(0, 12);
  }

  ContainerRecord running(long newMonitorPid, long startTicks, long newContainerPid, String startTime, String backendName) {
    return new ContainerRecord(id, name, image, imageDigest, created, command, State.RUNNING, newMonitorPid,
        startTicks, newContainerPid, null, false, startTime, null, backendName, null);
  }

  ContainerRecord exited(int code, boolean oom, String endTime, String failure) {
    return new ContainerRecord(id, name, image, imageDigest, created, command, State.EXITED, monitorPid,
        monitorStartTicks, containerPid, code, oom, startedAt, endTime, backend, failure);
  }
}
