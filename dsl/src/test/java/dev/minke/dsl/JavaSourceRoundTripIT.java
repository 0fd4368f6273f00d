package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every conformance Dockerfile that Minke builds, printed as DSL source and evaluated in JShell. */
class JavaSourceRoundTripIT {
  @Test
  void everyBuildableDockerfile_printedAsJava_evaluatesToTheSameBuild() throws Exception {
    List<String> checked = new ArrayList<>();
    try (DslShell shell = new DslShell()) {
      for (String path : DockerfileCorpus.all()) {
        if (JavaSourceRoundTrip.check(shell, path, DockerfileCorpus.read(path))) {
          checked.add(path);
        }
      }
    }
    assertTrue(checked.size() >= 200, "only " + checked.size() + " Dockerfiles were checked");
  }
}
