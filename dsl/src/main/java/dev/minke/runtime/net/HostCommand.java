package dev.minke.runtime.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Runs a host tool (ip, iptables, a CNI plugin) with a clean environment and collects its output. */
final class HostCommand {
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  record Result(int status, String stdout, String stderr) {
    boolean ok() {
      return status == 0;
    }

    String message() {
      String text = stderr.isBlank() ? stdout : stderr;
      return text.strip();
    }
  }

  private HostCommand() {}

  static Result run(List<String> command, Map<String, String> env, byte[] stdin) {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().put("PATH", PATH);
    builder.environment().putAll(env);
    Process[] running = new Process[1]; // for the interrupt's cleanup
    try {
      Process process = builder.start();
      running[0] = process;
      Thread writer = new Thread(() -> {
        try (var in = process.getOutputStream()) {
          if (stdin != null) {
            in.write(stdin);
          }
        } catch (IOException e) {
          // The tool did not read its input; its status says why.
        }
      });
      writer.start();
      byte[][] err = new byte[1][];
      Thread errReader = new Thread(() -> {
        try (InputStream errStream = process.getErrorStream()) {
          err[0] = errStream.readAllBytes();
        } catch (IOException e) {
          err[0] = new byte[0];
        }
      });
      errReader.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      errReader.join();
      int status = process.waitFor();
      writer.join();
      return new Result(status, out, new String(err[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(127, "", command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      running[0].destroyForcibly(); // not left running behind an interrupted caller
      Thread.currentThread().interrupt();
      return new Result(130, "", command.get(0) + ": interrupted");
    }
  }

  static Result run(String... command) {
    return run(List.of(command), Map.of(), null);
  }
}
