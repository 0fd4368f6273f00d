package dev.minke.kernel;

import dev.minke.os.FileTrees;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Installs the kernelspec: a directory with {@code kernel.json}, the logos and a copy of the
 * kernel's jars (so rebuilding the source tree never breaks an installed kernel), handed to
 * {@code jupyter kernelspec install} so that {@code --user}, {@code --sys-prefix} and {@code
 * --prefix} mean exactly what they mean to Jupyter. Then, where the JDK can, it records an AppCDS
 * archive of the classes a kernel loads while starting and running a first build, which roughly
 * halves the time until the kernel is ready (research note §3.5).
 */
final class KernelSpecInstaller {
  private static final Pattern INSTALLED = Pattern.compile("Installed kernelspec \\S+ in (.+)");

  private final String name;
  private final List<String> scope;
  private final boolean classDataArchive;

  KernelSpecInstaller(String name, List<String> scope, boolean classDataArchive) {
    this.name = name;
    this.scope = List.copyOf(scope);
    this.classDataArchive = classDataArchive;
  }

  /** Installs and returns the kernelspec's directory. */
  Path install() {
    Path staging = null;
    try {
      staging = Files.createTempDirectory("minke-kernelspec");
      Path spec = staging.resolve(name);
      Files.createDirectories(spec.resolve("lib"));
      List<String> jars = copyJars(spec.resolve("lib"));
      KernelLogo.write(spec);
      Files.writeString(spec.resolve("kernel.json"), KernelJson.of(spec, jars, null), StandardCharsets.UTF_8);
      Path installed = jupyterInstall(spec);
      // The installed copy names its jars by absolute path: an AppCDS archive only matches the
      // exact class path it was recorded with.
      Path archive = installed.resolve("minke.jsa");
      boolean recorded = classDataArchive && ClassDataArchive.record(installed, jars, archive);
      Files.writeString(installed.resolve("kernel.json"), KernelJson.of(installed, jars, recorded ? archive : null),
          StandardCharsets.UTF_8);
      return installed;
    } catch (IOException e) {
      throw new KernelInstallException("cannot write the kernelspec: " + e.getMessage(),
          "check that the target directory is writable (or choose --user / --prefix DIR)", e);
    } finally {
      deleteStaging(staging);
    }
  }

  private static void deleteStaging(Path staging) {
    if (staging == null) {
      return;
    }
    try {
      FileTrees.delete(staging);
    } catch (IOException e) {
      System.err.println("minke kernel: could not delete " + staging + ": " + e.getMessage());
    }
  }

  /** Copies every jar of this JVM's class path; returns their file names in class-path order. */
  private static List<String> copyJars(Path lib) throws IOException {
    List<String> names = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path jar = Path.of(entry);
      if (!entry.endsWith(".jar") || !Files.isRegularFile(jar)) {
        throw new KernelInstallException("the kernel runs from " + entry + ", which is not a jar",
            "build the jars first: mvn -B -DskipTests package, then run bin/minke kernel install");
      }
      String fileName = jar.getFileName().toString();
      if (!names.contains(fileName)) {
        Files.copy(jar, lib.resolve(fileName), StandardCopyOption.REPLACE_EXISTING);
        names.add(fileName);
      }
    }
    return names;
  }

  private Path jupyterInstall(Path spec) {
    List<String> command = new ArrayList<>(List.of(Jupyter.command(), "kernelspec", "install", "--replace",
        "--name", name));
    command.addAll(scope);
    command.add(spec.toString());
    String output = Jupyter.run(command);
    Matcher installed = INSTALLED.matcher(output);
    if (!installed.find()) {
      throw new KernelInstallException("jupyter kernelspec install did not say where it installed the kernel: "
          + output.strip(), "run the command by hand to see what happened: " + String.join(" ", command));
    }
    return Path.of(installed.group(1).strip());
  }
}
