package dev.minke.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.dockerfile.Dockerfile;
import dev.minke.build.dockerfile.DockerfileSyntaxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class DockerfileStagesTest {
  private static final String MULTI_STAGE = """
      ARG GO=1.22
      FROM golang:${GO} AS build
      WORKDIR /src
      COPY --chown=1000:1000 go.mod main.go ./
      RUN --mount=type=cache,target=/root/.cache go build -o /out/app .
      FROM scratch
      COPY --from=build /out/app /app
      ENV A=1 B="two words"
      EXPOSE 8080 9090/udp
      SHELL ["/bin/bash", "-c"]
      ENTRYPOINT /app --serve
      HEALTHCHECK --interval=1m30s --retries=3 CMD /app --ping
      ONBUILD RUN echo hi
      """;

  @Test
  void translate_multiStage_keepsEveryInstruction() {
    DockerfileStages plan = DockerfileStages.parse(MULTI_STAGE);
    assertEquals(List.of(new ConfigStep.Arg("GO", "1.22")), plan.globalArgs());
    assertEquals(2, plan.stages().size());

    DockerfileStage build = plan.stages().get(0);
    assertEquals(Optional.of("build"), build.name());
    assertEquals("golang:${GO}", build.from());
    assertTrue(build.base().isEmpty(), "FROM with a variable is resolved later");
    assertEquals(new ConfigStep.Workdir("/src"), build.supportedSteps().get(0));
    assertEquals(new CopyStep(List.of("go.mod", "main.go"), "./",
        CopyOptions.defaults().withChown("1000:1000")), build.supportedSteps().get(1));
    DockerfileStep.Run run = assertInstanceOf(DockerfileStep.Run.class, build.steps().get(2));
    assertEquals(List.of("go build -o /out/app ."), run.command());
    assertFalse(run.execForm());
    assertEquals(List.of("type=cache,target=/root/.cache"), run.mounts());
    assertEquals(5, run.source().startLine());

    DockerfileStage app = plan.stages().get(1);
    assertEquals(Optional.of(new BaseImage.Scratch()), app.base());
    DockerfileStep.CopyFrom copy = assertInstanceOf(DockerfileStep.CopyFrom.class, app.steps().get(0));
    assertEquals("build", copy.from());
    assertEquals(List.of("/out/app"), copy.copy().sources());
    List<Step> steps = app.supportedSteps();
    assertEquals(new ConfigStep.Env(Map.of("A", "1", "B", "\"two words\"")), steps.get(0));
    assertEquals(new ConfigStep.Expose("8080/tcp"), steps.get(1));
    assertEquals(new ConfigStep.Expose("9090/udp"), steps.get(2));
    assertEquals(new ConfigStep.Entrypoint(List.of("/bin/bash", "-c", "/app --serve")), steps.get(4));
    ConfigStep.Healthcheck health = (ConfigStep.Healthcheck) steps.get(5);
    assertEquals(List.of("CMD-SHELL", "/app --ping"), health.check().test());
    assertEquals(90_000_000_000L, health.check().intervalNanos());
    assertEquals(3, health.check().retries());
    assertInstanceOf(DockerfileStep.Unsupported.class, app.steps().get(app.steps().size() - 1));
    assertFalse(app.fullySupported());
  }

  @Test
  void translate_instructionBeforeFrom_fails() {
    DockerfileSyntaxException e = assertThrows(DockerfileSyntaxException.class,
        () -> DockerfileStages.parse("RUN echo\nFROM busybox\n"));
    assertEquals(1, e.startLine());
  }

  @Test
  void translate_simpleStage_fullySupported() {
    DockerfileStage stage = DockerfileStages.parse(
        "FROM busybox\nCOPY a /a\nCMD [\"/a\"]\nUSER 1000\n").stages().get(0);
    assertTrue(stage.fullySupported());
    assertEquals(3, stage.supportedSteps().size());
  }

  static Stream<String> realWorldDockerfiles() throws IOException {
    Path root = conformance().resolve("dockerfile/realworld");
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.getFileName().toString().equals("Dockerfile"))
          .map(f -> root.relativize(f).toString()).sorted().toList().stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("realWorldDockerfiles")
  void translate_realWorldDockerfile_keepsEveryInstruction(String path) {
    Dockerfile dockerfile = Dockerfile.read(conformance().resolve("dockerfile/realworld").resolve(path));
    DockerfileStages plan = DockerfileStages.translate(dockerfile);
    int translated = plan.globalArgs().size() + plan.stages().size()
        + plan.stages().stream().mapToInt(s -> s.steps().size()).sum();
    assertTrue(translated >= dockerfile.instructions().size(), path);
  }

  private static Path conformance() {
    String property = System.getProperty("minke.conformance");
    if (property != null && Files.isDirectory(Paths.get(property).resolve("dockerfile"))) {
      return Paths.get(property);
    }
    for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isDirectory(dir.resolve("shared/conformance/dockerfile"))) {
        return dir.resolve("shared/conformance");
      }
    }
    throw new IllegalStateException("no conformance data: set -Dminke.conformance");
  }
}
