package dev.minke.kernel;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernelspec's {@code kernel.json}: how Jupyter starts the kernel. {@code interrupt_mode}
 * is {@code message}: with Jupyter's default (a SIGINT) the JVM would die instead of stopping
 * the cell. JVM flags favour start-up: the serial collector (one user, small heaps) and, once
 * recorded, the AppCDS archive.
 */
final class KernelJson {
  private KernelJson() {}

  static String of(Path specDir, List<String> jars, Path classDataArchive) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.addAll(jvmFlags());
    if (classDataArchive != null) {
      argv.add("-XX:SharedArchiveFile=" + classDataArchive);
      argv.add("-Xshare:auto");
    }
    argv.add("-cp");
    argv.add(classPath(specDir, jars));
    argv.add(KernelMain.class.getName());
    argv.add("{connection_file}");
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("argv", argv);
    spec.put("display_name", "Minke (Java)");
    spec.put("language", "java");
    spec.put("interrupt_mode", "message");
    spec.put("env", Map.of());
    spec.put("metadata", Map.of("minke", Map.of("version", KernelVersion.VERSION)));
    return new com.google.gson.GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
  }

  /** Flags for a JVM that starts often and serves one user. */
  static List<String> jvmFlags() {
    return List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dminke.compactErrors=true");
  }

  static String classPath(Path specDir, List<String> jars) {
    List<String> entries = new ArrayList<>();
    for (String jar : jars) {
      entries.add(specDir.resolve("lib").resolve(jar).toString());
    }
    return String.join(File.pathSeparator, entries);
  }
}
