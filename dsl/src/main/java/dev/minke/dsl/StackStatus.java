package dev.minke.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A stack as it is now ({@code docker compose ps}): its network, whether that exists, and each
 * declared service with its container's state.
 */
public record StackStatus(String stack, String network, boolean networkExists, List<ServiceStatus> services) {

  /** What a service's container is doing; {@code MISSING}: the service has no container. */
  public enum State {
    MISSING,
    CREATED,
    RUNNING,
    EXITED
  }

  /** One service: its container's name, ID (null when missing), state and exit code (once exited). */
  public record ServiceStatus(String service, String container, String containerId, State state, Integer exitCode) {
    public boolean running() {
      return state == State.RUNNING;
    }

    String statusText() {
      return switch (state) {
        case MISSING -> "-";
        case CREATED -> "created";
        case RUNNING -> "running";
        case EXITED -> "exited (" + exitCode + ")";
      };
    }
  }

  public StackStatus {
    services = List.copyOf(services);
  }

  /** The status of one service. */
  public Optional<ServiceStatus> service(String name) {
    return services.stream().filter(s -> s.service().equals(name)).findFirst();
  }

  /** Whether no service has a container and the network is gone: what {@code down()} leaves. */
  public boolean isDown() {
    return !networkExists && services.stream().allMatch(s -> s.state() == State.MISSING);
  }

  @Override
  public String toString() {
    List<List<String>> rows = new ArrayList<>();
    for (ServiceStatus s : services) {
      rows.add(List.of(s.service(), s.container(), s.containerId() == null ? "-" : s.containerId().substring(0, 12),
          s.statusText()));
    }
    return "stack " + stack + " on network " + network + (networkExists ? "" : " (absent)") + "\n"
        + Texts.table(List.of("SERVICE", "CONTAINER", "ID", "STATUS"), rows);
  }
}
