package dev.minke.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.minke.error.MinkeException;

/** Dockerfile → build → Java → JShell → build: the evaluated build is the same build. */
final class JavaSourceRoundTrip {
  private JavaSourceRoundTrip() {}

  /**
   * Checks one Dockerfile; returns false when Minke does not build it (then there is no DSL form
   * to check), true when the round trip holds.
   */
  static boolean check(DslShell shell, String name, String dockerfile) {
    Build original;
    try {
      original = DockerfileImport.build(dockerfile);
    } catch (MinkeException notBuildable) {
      return false;
    }
    String java = original.toJava();
    Object value = shell.eval(java);
    Build printed = value instanceof Stage stage ? Build.of(stage) : (Build) value;
    assertEquals(BuildShapes.of(original), BuildShapes.of(printed), name + "\n" + java);
    assertEquals(original.toDockerfile(), printed.toDockerfile(), name + "\n" + java);
    return true;
  }
}
