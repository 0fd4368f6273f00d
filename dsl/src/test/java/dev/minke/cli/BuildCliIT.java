package dev.minke.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.TestStores;
import dev.minke.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minke build}: Dockerfile in, tagged image out; errors before the build leave the store alone. */
class BuildCliIT {
  private static final String MULTI_STAGE = """
      FROM busybox AS build
      WORKDIR /src
      COPY hello.txt .
      RUN mkdir /out && tr a-z A-Z < hello.txt > /out/hello

      FROM busybox AS unused
      RUN exit 1

      FROM scratch AS app
      COPY --from=build /out/hello /hello
      CMD ["/hello"]
      """;

  @TempDir Path home;
  @TempDir Path context;
  private Store store;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    System.setProperty("minke.home", home.toString());
    store = TestStores.withBusybox(home);
    Files.writeString(context.resolve("hello.txt"), "hello\n");
  }

  @AfterEach
  void tearDown() {
    System.clearProperty("minke.home");
  }

  private int minke(String... args) {
    out.reset();
    err.reset();
    List<String> all = new ArrayList<>(List.of(args));
    return Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private void dockerfile(String text) throws IOException {
    Files.writeString(context.resolve("Dockerfile"), text);
  }

  @Test
  void build_multiStage_tagsTheLastStage_skipsTheUnusedOne() throws IOException {
    dockerfile(MULTI_STAGE);

    assertEquals(0, minke("build", "-t", "demo/app:1", "--progress", "plain", context.toString()), errors());

    String text = output();
    assertTrue(text.contains("[unused] SKIPPED stage (not needed for target app)"), text);
    assertTrue(text.contains("[build 3/3] BUILT RUN mkdir /out"), text);
    assertTrue(text.contains("[app 1/2] BUILT COPY /out/hello /hello"), text);
    assertTrue(text.contains("Successfully tagged demo/app:1"), text);
    assertEquals(0, minke("run", "--rm", "busybox", "true"));
    assertEquals(0, minke("history", "demo/app:1"));
    assertTrue(output().contains("COPY /out/hello /hello"), output());

    assertEquals(0, minke("build", "-t", "demo/app:1", context.toString()));
    assertTrue(output().contains("[app 1/2] CACHED COPY /out/hello /hello (cache hit)"), output());
  }

  @Test
  void build_targetAndFileAndBuildArg_buildTheNamedStage() throws IOException {
    Files.writeString(context.resolve("other.Dockerfile"), """
        ARG BASE=nothing
        FROM ${BASE} AS base
        ARG GREETING
        RUN echo "$GREETING" > /greeting

        FROM base AS final
        RUN cat /greeting > /copy
        """);

    assertEquals(0, minke("build", "-f", context.resolve("other.Dockerfile").toString(), "--build-arg",
        "BASE=busybox", "--build-arg=GREETING=hi there", "--target", "base", "-t", "demo/base", context.toString()),
        errors());

    assertTrue(output().contains("[final] SKIPPED stage (not needed for target base)"), output());
    assertEquals(0, minke("run", "--rm", "demo/base", "cat", "/greeting"));
    assertEquals("hi there\n", output());
  }

  @Test
  void build_ttyProgress_redrawsTheStepList() throws IOException {
    dockerfile("FROM busybox\nRUN echo one\nRUN echo two\n");
    assertEquals(0, minke("build", "--progress=tty", context.toString()), errors());
    assertTrue(output().contains("\033[2K[1/2] RUNNING RUN echo one"), output());
    assertTrue(output().contains("\033[2F"), output());
    assertTrue(output().contains("[2/2] BUILT RUN echo two"), output());
  }

  @Test
  void build_failingRun_exitsWithTheStepCodeAndLines_nothingTagged() throws IOException {
    dockerfile("FROM busybox AS a\nRUN echo ok\n\nFROM busybox\nCOPY --from=a /bin/busybox /x\n"
        + "RUN echo broken >&2; exit 7\nRUN echo never\n");
    String before = TestStores.snapshotOf(store);

    assertEquals(1, minke("build", "-t", "demo/broken", "--progress", "plain", context.toString()));

    assertTrue(errors().contains("stage stage-1, step 2 (RUN echo broken >&2; exit 7) failed with exit code 7"),
        errors());
    assertTrue(errors().contains("broken"), errors());
    assertTrue(output().contains("[stage-1 3/3] SKIPPED RUN echo never"), output());
    assertEquals(before, TestStores.snapshotOf(store));
    assertFalse(store.images().resolve(dev.minke.registry.Reference.parse("demo/broken")).isPresent());
  }

  @Test
  void build_errorsBeforeBuilding_areClear_andLeaveTheStoreUnchanged() throws IOException {
    String before = TestStores.snapshotOf(store);

    dockerfile("FROM busybox\nRUN echo ok\nFROBNICATE now\n");
    assertEquals(1, minke("build", context.toString()));
    assertTrue(errors().contains("line 3") && errors().contains("unknown instruction: FROBNICATE"), errors());

    dockerfile(MULTI_STAGE);
    assertEquals(1, minke("build", "--target", "nope", context.toString()));
    assertTrue(errors().contains("target stage \"nope\" could not be found"), errors());
    assertTrue(errors().contains("build, unused, app"), errors());

    dockerfile("FROM busybox AS a\nCOPY --from=b /x /x\n\nFROM busybox AS b\nCOPY --from=a /y /y\n");
    assertEquals(1, minke("build", "--target", "b", context.toString()));
    assertTrue(errors().contains("the stages need each other: \"b\" -> \"a\" -> \"b\""), errors());

    dockerfile("FROM busybox AS a\nCOPY --from=5 /x /x\n");
    assertEquals(1, minke("build", context.toString()));
    assertTrue(errors().contains("refers to stage \"5\", which this build does not have"), errors());

    dockerfile("ARG BASE\nFROM ${BASE}\nRUN true\n");
    assertEquals(1, minke("build", context.toString()));
    assertTrue(errors().contains("line 2: base name (${BASE}) should not be blank: build argument BASE has no value"),
        errors());
    assertTrue(errors().contains("--build-arg BASE="), errors());

    assertEquals(2, minke("build", "--progress", "fancy", context.toString()));
    assertEquals(2, minke("build", context.resolve("missing").toString()));

    assertEquals(before, TestStores.snapshotOf(store));
  }
}
