package dev.minke.build;

import static dev.minke.Minke.from;
import static dev.minke.Minke.fromStage;
import static dev.minke.Minke.scratch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Build;
import dev.minke.dsl.Stage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The stage graph: order, sharing, skipped stages, and the errors found before building. */
class PlanTest {
  private static BuildStage stage(Stage s) {
    return s.toBuildStage();
  }

  @Test
  void of_sharedStage_plannedOnce_dependenciesFirst() {
    Stage base = from("busybox").as("base").run("echo base");
    Stage left = from(base).run("echo left");
    Stage right = scratch().copy(base, "/bin", "/bin");
    Stage app = scratch().copy(left, "/a", "/a").copy(right, "/b", "/b");

    Plan plan = Plan.of(List.of(), stage(app));

    assertEquals(4, plan.order().size());
    assertEquals(stage(base), plan.order().get(0));
    assertEquals(stage(app), plan.target());
    assertEquals(List.of(stage(left), stage(right)), plan.dependencies().get(stage(app)));
    assertEquals("base", plan.label(stage(base)));
  }

  @Test
  void of_declaredStagesTheTargetDoesNotUse_areSkipped() {
    BuildStage unused = stage(from("busybox").as("unused"));
    BuildStage app = stage(scratch().as("app"));
    Plan plan = Plan.of(List.of(unused, app), app);
    assertEquals(List.of(unused), plan.skipped());
    assertEquals(List.of(app), plan.order());
  }

  @Test
  void of_namesResolveAmongDeclared_byNameAndIndex() {
    BuildStage build = stage(from("busybox").as("build"));
    BuildStage app = stage(fromStage("build").copyFrom("0", "/x", "/x"));
    Plan plan = Plan.of(List.of(build, app), app);
    assertEquals(List.of(build, app), plan.order());
    assertEquals("stage-1", plan.label(app));
  }

  @Test
  void of_unknownName_rejectedWithTheStageNames() {
    BuildStage build = stage(from("busybox").as("build"));
    BuildStage app = stage(scratch().as("app").copyFrom("biuld", "/x", "/x"));
    BuildPlanException e = assertThrows(BuildPlanException.class, () -> Plan.of(List.of(build, app), app));
    assertEquals("stage \"app\" refers to stage \"biuld\", which this build does not have", e.problem());
    assertEquals("the build's stages are build, app", e.hint());
  }

  @Test
  void of_namedCycle_rejected() {
    Build build = Build.of(
        from("busybox").as("a").copyFrom("b", "/x", "/x"),
        from("busybox").as("b").copyFrom("a", "/y", "/y"));
    BuildPlanException e = assertThrows(BuildPlanException.class, build::toDockerfile);
    assertEquals("the stages need each other: \"b\" -> \"a\" -> \"b\"", e.problem());
  }

  @Test
  void of_imageFallback_copiesFromAnImage() {
    CopyStep copy = new CopyStep(List.of("/bin/busybox"), "/bb", null).withFrom(new StageRef.Named("busybox", true));
    BuildStage app = new BuildStage("app", new BaseImage.Scratch(), List.of(copy), null);
    Plan plan = Plan.of(List.of(app), app);
    assertEquals(2, plan.order().size());
    assertEquals("busybox:latest", plan.label(plan.order().get(0)));
  }

  @Test
  void target_unknown_rejected() {
    BuildPlanException e = assertThrows(BuildPlanException.class,
        () -> Build.of(from("busybox").as("a")).target("b").toDockerfile());
    assertTrue(e.problem().contains("target stage \"b\" could not be found"), e.problem());
  }

  @Test
  void toDockerfile_namesEveryStage_dependenciesFirst() {
    Stage build = from("busybox").run("echo hi > /hi");
    Stage app = from(build).as("app").copy(from("busybox"), "/bin/busybox", "/bb").env("A", "x y");
    assertEquals("""
        FROM busybox:latest AS stage-0
        RUN echo hi > /hi

        FROM busybox:latest AS stage-1

        FROM stage-0 AS app
        COPY --from=stage-1 /bin/busybox /bb
        ENV A="x y"
        """, app.toDockerfile());
  }
}
