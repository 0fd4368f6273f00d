package dev.minke.runtime;

import dev.minke.image.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One container's directory under the state root, {@code <root>/<id>/}:
 *
 * <ul>
 *   <li>{@code state.json} ({@link OciState}), written once the container process is set up;
 *   <li>{@code exec.fifo}, the FIFO the container waits on (minke-init {@code start_fifo=});
 *       {@code start} removes it, so its presence means "not started yet";
 *   <li>{@code init.spec} (0600, removed once minke-init has read it) and {@code init.report};
 *   <li>{@code exit-status}, minke-init's exit status as the wrapper shell records it.
 * </ul>
 */
final class OciStateDir {
  private final Path dir;

  OciStateDir(Path root, String id) {
    this.dir = root.resolve(id);
  }

  Path dir() {
    return dir;
  }

  Path fifo() {
    return dir.resolve("exec.fifo");
  }

  Path spec() {
    return dir.resolve("init.spec");
  }

  Path report() {
    return dir.resolve("init.report");
  }

  Path exitFile() {
    return dir.resolve("exit-status");
  }

  boolean exists() {
    return Files.isDirectory(dir);
  }

  /** The state, or empty while {@code create} has not finished (or crashed). */
  Optional<OciState> read() throws IOException {
    try {
      return Optional.of(Json.read(Files.readAllBytes(dir.resolve("state.json")), OciState.class));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Replaces state.json atomically. */
  void write(OciState state) throws IOException {
    Path tmp = Files.createTempFile(dir, "state.json", ".tmp");
    Files.write(tmp, Json.bytes(state));
    Files.move(tmp, dir.resolve("state.json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /**
   * created: the container process is alive and the FIFO still there; running: alive and
   * started; stopped: the process is gone, a zombie, or its PID now names another process.
   */
  OciContainerState.Status status(OciState state) {
    if (!alive(state.pid(), state.pidStartTime())) {
      return OciContainerState.Status.STOPPED;
    }
    return Files.exists(fifo()) ? OciContainerState.Status.CREATED : OciContainerState.Status.RUNNING;
  }

  /** minke-init's exit status once the wrapper has recorded it. */
  Optional<Integer> exitStatus() {
    try {
      String text = Files.readString(exitFile(), StandardCharsets.US_ASCII).strip();
      return text.matches("[0-9]{1,3}") ? Optional.of(Integer.parseInt(text)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** The {@code error STEP ERRNO MESSAGE} line minke-init reported, without "error ". */
  Optional<String> reportError() {
    try {
      return Files.readAllLines(report(), StandardCharsets.UTF_8).stream()
          .filter(l -> l.startsWith("error ")).map(l -> l.substring(6)).findFirst();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static boolean alive(long pid, long startTime) {
    OptionalLong now = startTime(pid);
    return now.isPresent() && now.getAsLong() == startTime;
  }

  /** Field 22 of /proc/PID/stat; empty when the process is gone or a zombie. */
  static OptionalLong startTime(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    if (fields[0].equals("Z") || fields[0].equals("X")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(fields[19]));
  }
}
