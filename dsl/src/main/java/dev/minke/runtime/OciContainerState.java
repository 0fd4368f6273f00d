package dev.minke.runtime;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Map;

/**
 * The state of a container as {@code minke runtime state} prints it: opencontainers/runtime-spec
 * runtime.md "State" ({@code ociVersion}, {@code id}, {@code status}, {@code pid}, {@code
 * bundle}, {@code annotations}), plus what runc adds ({@code rootfs}, {@code created}) and, once
 * stopped, the exit status when it is known (Docker's codes: 128+N for signal N).
 *
 * @param pid the container process's host PID; 0 once stopped, as runc prints it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"ociVersion", "id", "status", "pid", "bundle", "rootfs", "created", "annotations", "exitStatus"})
public record OciContainerState(
    String ociVersion, String id, Status status, long pid, String bundle, String rootfs, String created,
    Map<String, String> annotations, Integer exitStatus) {

  /** runtime-spec's statuses after {@code create} has returned. */
  public enum Status {
    /** Set up completely; the process waits for {@code start} before it runs the program. */
    CREATED("created"),
    /** The program was started and the process is alive. */
    RUNNING("running"),
    /** The container process is gone. */
    STOPPED("stopped");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    /** The name runtime-spec gives it, as in the state JSON. */
    @JsonValue
    public String label() {
      return label;
    }
  }
}
