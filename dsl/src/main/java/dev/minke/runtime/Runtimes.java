package dev.minke.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses the runtime backend: {@code MINKE_RUNTIME} ({@code minke-init}, {@code runc} or
 * {@code crun}) when set, else minke-init when this build has it, else an installed runc or
 * crun, else a clear "no runtime" error.
 */
public final class Runtimes {
  private Runtimes() {}

  public static RuntimeBackend select(Path storeHome) {
    String wanted = System.getenv("MINKE_RUNTIME");
    if (wanted == null || wanted.isBlank()) {
      wanted = System.getProperty("minke.runtime", "");
    }
    Optional<Path> init = MinkeInitBinary.locate(storeHome.resolve("bin"));
    switch (wanted) {
      case "", "minke-init" -> {
        if (init.isPresent()) {
          return new MinkeInitBackend(init.get());
        }
        if (!wanted.isEmpty()) {
          throw new NoRuntimeException("MINKE_RUNTIME=minke-init but this build of Minke has no minke-init");
        }
        return findOnPath("runc").or(() -> findOnPath("crun")).map(OciCliBackend::new)
            .orElseThrow(() -> new NoRuntimeException("this build has no minke-init and neither runc nor crun is installed"));
      }
      case "runc", "crun" -> {
        String name = wanted;
        return findOnPath(wanted).map(OciCliBackend::new)
            .orElseThrow(() -> new NoRuntimeException("MINKE_RUNTIME=" + name + " but " + name + " is not on the PATH"));
      }
      default -> throw new NoRuntimeException(
          "MINKE_RUNTIME=" + wanted + " is not a runtime Minke knows: use minke-init, runc or crun");
    }
  }

  static Optional<Path> findOnPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
