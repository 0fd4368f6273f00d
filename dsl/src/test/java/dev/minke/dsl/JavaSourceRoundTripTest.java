package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A sample of the conformance Dockerfiles printed as DSL source and evaluated in JShell; {@code
 * JavaSourceRoundTripIT} does them all.
 */
class JavaSourceRoundTripTest {
  private static DslShell shell;

  @BeforeAll
  static void startShell() throws Exception {
    shell = DslShell.shared();
  }

  static List<String> sample() {
    return DockerfileCorpus.sample(40);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sample")
  void dockerfile_printedAsJava_evaluatesToTheSameBuild(String path) {
    JavaSourceRoundTrip.check(shell, path, DockerfileCorpus.read(path));
  }

  @org.junit.jupiter.api.Test
  void sample_holdsBuildableDockerfiles() {
    long buildable = sample().stream().filter(p -> {
      try {
        DockerfileImport.build(DockerfileCorpus.read(p));
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }).count();
    assertTrue(buildable >= 25, "only " + buildable + " of the sample build");
  }
}
