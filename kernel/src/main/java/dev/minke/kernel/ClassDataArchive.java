package dev.minke.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records an AppCDS archive ({@code -XX:ArchiveClassesAtExit}, JDK 13+) by running {@link
 * KernelTraining} once with the installed class path. The archive belongs to this exact JDK
 * build and these jars; a JVM that does not match ignores it ({@code -Xshare:auto}).
 */
final class ClassDataArchive {
  private static final long TIMEOUT_SECONDS = 180;

  private ClassDataArchive() {}

  /** Records the archive; false (with a note on stderr) when this JDK cannot. */
  static boolean record(Path specDir, List<String> jars, Path archive) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(KernelJson.jvmFlags());
    command.add("-XX:ArchiveClassesAtExit=" + archive);
    command.add("-cp");
    command.add(KernelJson.classPath(specDir, jars));
    command.add(KernelTraining.class.getName());
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      if (process.exitValue() == 0 && Files.isRegularFile(archive)) {
        return true;
      }
      System.err.println("minke kernel: no class-data archive (the kernel still works, it starts slower): "
          + new String(output).strip());
    } catch (IOException e) {
      System.err.println("minke kernel: no class-data archive: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
