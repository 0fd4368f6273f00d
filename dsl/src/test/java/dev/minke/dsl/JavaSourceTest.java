package dev.minke.dsl;

import static dev.minke.Minke.chown;
import static dev.minke.Minke.dockerfile;
import static dev.minke.Minke.from;
import static dev.minke.Minke.scratch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildPlanException;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Dockerfile → DSL source: what is printed, and that JShell reads it back as the same build. */
class JavaSourceTest {
  private static DslShell shell;

  @BeforeAll
  static void startShell() throws Exception {
    shell = DslShell.shared();
  }

  private static void roundTrip(String dockerfile) {
    assertTrue(JavaSourceRoundTrip.check(shell, "test", dockerfile), "Minke does not build:\n" + dockerfile);
  }

  @Test
  void toJava_singleStage_isOneExpression() {
    assertEquals("from(\"busybox\")\n    .run(\"echo hi\")", dockerfile("FROM busybox\nRUN echo hi").toJava());
  }

  @Test
  void toJava_multiStage_isOneVarPerStage_thenTheBuild() {
    String java = dockerfile("""
        FROM golang:1.22 AS build
        WORKDIR /src
        COPY . .
        RUN go build -o /out/app
        FROM scratch
        COPY --from=build /out/app /app
        ENTRYPOINT ["/app"]
        """).toJava();
    assertEquals("""
        var build = from("golang:1.22").as("build")
            .workdir("/src")
            .copy(".", ".")
            .run("go build -o /out/app");
        var stage1 = scratch()
            .copyFrom("build", "/out/app", "/app")
            .entrypoint("/app");
        Build.of(build, stage1)""", java);
  }

  @Test
  void toJava_stageNames_becomeCamelCaseVariables_neverKeywords() {
    String java = dockerfile("""
        FROM busybox AS build-env
        FROM busybox AS default
        FROM busybox AS build_env
        FROM busybox AS build.env2
        """).toJava();
    assertTrue(java.contains("var buildEnv = from(\"busybox\").as(\"build-env\")"), java);
    assertTrue(java.contains("var defaultStage = "), java);
    assertTrue(java.contains("var buildEnv2 = from(\"busybox\").as(\"build_env\")"), java);
    assertTrue(java.contains("var buildEnv22 = from(\"busybox\").as(\"build.env2\")"), java);
    assertTrue(java.endsWith("Build.of(buildEnv, defaultStage, buildEnv2, buildEnv22)"), java);
  }

  @Test
  void toJava_target_isKept() {
    Build build = dockerfile("FROM busybox AS a\nFROM busybox AS b\n").target("a");
    assertTrue(build.toJava().endsWith("Build.of(a, b).target(\"a\")"), build.toJava());
    Object value = shell.eval(build.toJava());
    assertEquals(BuildShapes.of(build), BuildShapes.of((Build) value));
  }

  @Test
  void run_shellExecAndFlags_keepTheirForm() {
    String java = dockerfile("""
        FROM busybox
        RUN echo "$HOME" 'a b'
        RUN ["/bin/echo", "a b", "c\\\\d"]
        RUN --network=none ["ls", "/"]
        RUN --mount=type=cache,target=/root/.cache --network=none make
        RUN --mount=type=cache,target=/c,id=go,sharing=locked --mount=type=secret,id=tok,target=/t cat /t
        RUN --mount=type=secret,id=tok true
        """).toJava();
    assertEquals("""
        from("busybox")
            .run("echo \\"$HOME\\" 'a b'")
            .runExec("/bin/echo", "a b", "c\\\\d")
            .run(network("none"), java.util.List.of("ls", "/"))
            .run(cacheMount("/root/.cache").withNetwork("none"), "make")
            .run(cacheMount("/c", "go", "locked").withSecret("tok", "/t"), "cat /t")
            .run(secret("tok"), "true")""", java);
  }

  @Test
  void run_everyForm_roundTrips() {
    roundTrip("""
        FROM busybox
        RUN echo "$HOME" 'a b' \\
            && echo \\\\ done
        RUN ["/bin/echo", "a b", "c\\\\d", "\\u00e9\\n"]
        RUN --network=host echo
        RUN --network=none ["ls", "/"]
        RUN --mount=type=cache,target=/root/.cache --network=none make
        RUN --mount=type=cache,target=/c,id=go,sharing=private --mount=type=secret,id=tok,target=/t cat /t
        RUN --mount=type=secret,id=tok --mount=type=cache,target=/x true
        """);
  }

  @Test
  void heredocs_areRunScriptAndCopyText() {
    String dockerfile = """
        FROM busybox
        RUN <<EOF
        set -e
        echo "a \\\\ b"  \t
        EOF
        COPY <<"EOF" /etc/motd
        hello $USER
        EOF
        COPY <<CONF /etc/app/
        name=$NAME
        CONF
        RUN --network=none <<EOF
        ping -c1 127.0.0.1
        EOF
        RUN python3 <<PY
        print("hi")
        PY
        COPY --chown=1:2 --chmod=640 <<EOF /f
        x
        EOF
        """;
    String java = dockerfile(dockerfile).toJava();
    assertTrue(java.contains("""
            .runScript(\"""
                set -e
                echo "a \\\\\\\\ b"  \\t
                \""")
        """), java);
    assertTrue(java.contains(".copyText(\"hello $USER\\n\", \"/etc/motd\")"), java);
    assertTrue(java.contains(".copyHeredoc(CopyOptions.defaults(), \"CONF\", true, \"name=$NAME\\n\", \"/etc/app/\")"),
        java);
    assertTrue(java.contains(".copyHeredoc(chown(\"1:2\").withChmod(0640), \"EOF\", true, \"x\\n\", \"/f\")"), java);
    roundTrip(dockerfile);
  }

  @Test
  void copy_flagsAndSources_roundTrip() {
    String dockerfile = """
        FROM busybox
        RUN echo > /a
        FROM busybox AS named
        RUN echo > /b
        FROM scratch
        COPY --from=0 /a /a
        COPY --from=named --chown=app:app /b /b
        COPY --from=1 --chmod=755 /b /c
        COPY --from=nginx:1.27 /etc/nginx/nginx.conf /nginx.conf
        COPY --chown=1000 --chmod=0600 ["a b", "c", "/d/"]
        COPY --chmod=4755 x /x
        """;
    String java = dockerfile(dockerfile).toJava();
    assertTrue(java.contains(".copy(stage0, \"/a\", \"/a\")"), java);
    assertTrue(java.contains(".copyFrom(\"named\", chown(\"app:app\"), \"/b\", \"/b\")"), java);
    assertTrue(java.contains(".copyFrom(\"named\", chmod(0755), \"/b\", \"/c\")"), java);
    assertTrue(java.contains(".copy(from(\"nginx:1.27\"), \"/etc/nginx/nginx.conf\", \"/nginx.conf\")"), java);
    assertTrue(java.contains(".copy(chown(\"1000\").withChmod(0600), \"a b\", \"c\", \"/d/\")"), java);
    assertTrue(java.contains(".copy(chmod(04755), \"x\", \"/x\")"), java);
    roundTrip(dockerfile);
  }

  @Test
  void configInstructions_roundTrip() {
    String dockerfile = """
        ARG BASE=busybox
        ARG TAG
        FROM ${BASE} AS base
        ARG BASE
        ARG VERSION=1.0 OTHER
        ENV A=1 B="two words" C=$A
        ENV D 4
        LABEL org.opencontainers.image.title="x y" a=b
        LABEL one=1
        EXPOSE 80 53/udp 8000-8010
        VOLUME ["/data", "/logs"]
        VOLUME /cache
        USER 1000:1000
        WORKDIR /app
        STOPSIGNAL SIGQUIT
        SHELL ["/bin/bash", "-c"]
        CMD echo "in bash"
        ENTRYPOINT ["/entry", "--flag"]
        HEALTHCHECK CMD curl -f http://localhost/
        FROM base
        HEALTHCHECK --interval=30s --timeout=1500ms --retries=3 CMD ["/check", "a"]
        FROM base
        HEALTHCHECK NONE
        FROM base
        HEALTHCHECK --start-period=5s --start-interval=1s CMD true
        FROM base
        HEALTHCHECK --interval=1m30s CMD true
        CMD []
        """;
    String java = dockerfile(dockerfile).toJava();
    assertTrue(java.contains("var base = from(\"busybox\").as(\"base\")"), java);
    assertTrue(java.contains(".arg(\"BASE\", \"busybox\")"), java);
    assertTrue(java.contains(".env(\"A\", \"1\",\n        \"B\", \"\\\"two words\\\"\",\n        \"C\", \"$A\")"), java);
    assertTrue(java.contains(".expose(80)\n    .expose(\"53/udp\")\n    .expose(\"8000-8010/tcp\")"), java);
    assertTrue(java.contains(".volume(\"/data\", \"/logs\", \"/cache\")"), java);
    assertTrue(java.contains(".cmd(\"/bin/bash\", \"-c\", \"echo \\\"in bash\\\"\")"), java);
    assertTrue(java.contains(".healthcheck(\"curl -f http://localhost/\")"), java);
    assertTrue(java.contains(".healthcheck(dev.minke.build.HealthChecks.timed(dev.minke.build.HealthChecks.exec("
        + "\"/check\", \"a\"), java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(1500), 3))"), java);
    assertTrue(java.contains(".healthcheck(dev.minke.build.HealthChecks.none())"), java);
    assertTrue(java.contains(".healthcheck(new dev.minke.image.HealthCheck("), java);
    assertTrue(java.contains("fromStage(\"base\")"), java);
    roundTrip(dockerfile);
  }

  @Test
  void dockerfile_unsupportedInstruction_failsNamingTheLine() {
    BuildPlanException e = assertThrows(BuildPlanException.class,
        () -> dockerfile("FROM busybox\nRUN true\nONBUILD RUN echo hi\n"));
    assertTrue(e.getMessage().contains("Dockerfile line 3"), e.getMessage());
    assertTrue(e.getMessage().contains("ONBUILD RUN echo hi"), e.getMessage());
    assertThrows(BuildPlanException.class, () -> dockerfile("FROM busybox\nADD a /a\n"));
    assertThrows(BuildPlanException.class, () -> dockerfile("FROM busybox\nCOPY --link a /a\n"));
  }

  @Test
  void dockerfile_stageNameTheDslCannotWrite_failsNamingTheLine() {
    NoDslFormException e = assertThrows(NoDslFormException.class,
        () -> dockerfile("FROM busybox\nFROM busybox AS 1st\n"));
    assertTrue(e.getMessage().startsWith("Dockerfile line 2: invalid name for build stage: \"1st\""), e.getMessage());
  }

  @Test
  void stageBuiltInTheDsl_usesStageValues() {
    Stage build = from("busybox").as("build").run("mkdir /out && echo hi > /out/hello");
    Stage app = scratch().copy(build, chown("1"), "/out/hello", "/hello").entrypoint("/hello");
    String java = app.toJava();
    assertEquals("""
        var build = from("busybox").as("build")
            .run("mkdir /out && echo hi > /out/hello");
        var stage0 = scratch()
            .copy(build, chown("1"), "/out/hello", "/hello")
            .entrypoint("/hello");
        Build.of(stage0)""", java);
    Object value = shell.eval(java);
    assertEquals(List.of(app), ((Build) value).stages());
  }

  @Test
  void stageFromAStageValue_andAContext_roundTrip() {
    Stage base = from("busybox@sha256:" + "ab".repeat(32)).run("true");
    Stage next = from(base).context("/tmp/ctx dir").env("A", "1", "B", "2").label("x", "1", "y", "2");
    Object value = shell.eval(next.toJava());
    Build printed = value instanceof Stage stage ? Build.of(stage) : (Build) value;
    assertEquals(List.of(next), printed.stages());
  }
}
