package dev.minke.image;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The execution defaults in an image config ({@code config} in config.md), plus Docker's
 * {@code Healthcheck}, {@code Shell} and {@code OnBuild} extensions. Sets and maps are sorted so
 * that the same config always serializes to the same bytes.
 *
 * <p>{@code entrypoint} and {@code cmd} are {@code null} when unset, which differs from an empty
 * list only for {@code cmd} (an explicit empty CMD clears the base image's).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerConfig(
    @JsonProperty("User") String user,
    @JsonProperty("ExposedPorts") Map<String, Map<String, Object>> exposedPorts,
    @JsonProperty("Env") List<String> env,
    @JsonProperty("Entrypoint") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> entrypoint,
    @JsonProperty("Cmd") @JsonInclude(JsonInclude.Include.NON_NULL) List<String> cmd,
    @JsonProperty("Volumes") Map<String, Map<String, Object>> volumes,
    @JsonProperty("WorkingDir") String workingDir,
    @JsonProperty("Labels") Map<String, String> labels,
    @JsonProperty("StopSignal") String stopSignal,
    @JsonProperty("Healthcheck") HealthCheck healthcheck,
    @JsonProperty("Shell") List<String> shell,
    @JsonProperty("OnBuild") List<String> onBuild) {

  public ContainerConfig {
    exposedPorts = sortedKeys(exposedPorts);
    env = env == null ? List.of() : List.copyOf(env);
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    volumes = sortedKeys(volumes);
    labels = labels == null ? Map.of() : Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    shell = shell == null ? List.of() : List.copyOf(shell);
    onBuild = onBuild == null ? List.of() : List.copyOf(onBuild);
    for (String entry : env) {
      if (entry.indexOf('=') <= 0) {
        throw new IllegalArgumentException(
            "invalid Env entry \"" + entry + "\": must be KEY=VALUE with a non-empty KEY");
      }
    }
  }

  public static ContainerConfig empty() {
    return new ContainerConfig(
        null, null, null, null, null, null, null, null, null, null, null, null);
  }

  private static Map<String, Map<String, Object>> sortedKeys(Map<String, Map<String, Object>> m) {
    if (m == null) {
      return Map.of();
    }
    SortedMap<String, Map<String, Object>> sorted = new TreeMap<>();
    m.keySet().forEach(k -> sorted.put(k, Map.of()));
    return Collections.unmodifiableSortedMap(sorted);
  }

  /** The value of an environment variable, or {@code null}. */
  public String envValue(String name) {
    String prefix = name + "=";
    for (String entry : env) {
      if (entry.startsWith(prefix)) {
        return entry.substring(prefix.length());
      }
    }
    return null;
  }

  public ContainerConfig withUser(String newUser) {
    return new ContainerConfig(newUser, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        labels, stopSignal, healthcheck, shell, onBuild);
  }

  /** Sets one variable, replacing an earlier value and keeping its position. */
  public ContainerConfig withEnv(String name, String value) {
    List<String> newEnv = new ArrayList<>();
    boolean replaced = false;
    for (String entry : env) {
      if (entry.startsWith(name + "=")) {
        newEnv.add(name + "=" + value);
        replaced = true;
      } else {
        newEnv.add(entry);
      }
    }
    if (!replaced) {
      newEnv.add(name + "=" + value);
    }
    return new ContainerConfig(user, exposedPorts, newEnv, entrypoint, cmd, volumes, workingDir,
        labels, stopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withEntrypoint(List<String> newEntrypoint) {
    return new ContainerConfig(user, exposedPorts, env, newEntrypoint, cmd, volumes, workingDir,
        labels, stopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withCmd(List<String> newCmd) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, newCmd, volumes, workingDir,
        labels, stopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withWorkingDir(String newWorkingDir) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, newWorkingDir,
        labels, stopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withLabel(String key, String value) {
    Map<String, String> newLabels = new TreeMap<>(labels);
    newLabels.put(key, value);
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        newLabels, stopSignal, healthcheck, shell, onBuild);
  }

  /** Adds an exposed port such as {@code 80/tcp}. */
  public ContainerConfig withExposedPort(String portAndProtocol) {
    return new ContainerConfig(user, plus(exposedPorts, portAndProtocol), env, entrypoint, cmd,
        volumes, workingDir, labels, stopSignal, healthcheck, shell, onBuild);
  }

  /** Adds a volume mount point. */
  public ContainerConfig withVolume(String path) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, plus(volumes, path),
        workingDir, labels, stopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withStopSignal(String newStopSignal) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        labels, newStopSignal, healthcheck, shell, onBuild);
  }

  public ContainerConfig withHealthcheck(HealthCheck newHealthcheck) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        labels, stopSignal, newHealthcheck, shell, onBuild);
  }

  public ContainerConfig withShell(List<String> newShell) {
    return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir,
        labels, stopSignal, healthcheck, newShell, onBuild);
  }

  private static Map<String, Map<String, Object>> plus(
      Map<String, Map<String, Object>> set, String key) {
    SortedSet<String> keys = new TreeSet<>(set.keySet());
    keys.add(key);
    Map<String, Map<String, Object>> result = new TreeMap<>();
    keys.forEach(k -> result.put(k, Map.of()));
    return result;
  }
}
