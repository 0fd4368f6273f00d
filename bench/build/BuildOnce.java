import dev.minke.build.BaseImage;
import dev.minke.build.BuildOptions;
import dev.minke.build.BuildResult;
import dev.minke.build.Builder;
import dev.minke.build.DockerfileStage;
import dev.minke.build.DockerfileStages;
import dev.minke.build.DockerfileStep;
import dev.minke.build.RunStep;
import dev.minke.build.Step;
import dev.minke.build.StepResult;
import dev.minke.build.Verdict;
import dev.minke.registry.Reference;
import dev.minke.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Stand-in for `minke build -t TAG CONTEXT` while the CLI has no build verb (bench/build/run
 * uses the verb once `bin/minke help` lists it): a new JVM that opens the store, parses
 * CONTEXT/Dockerfile, builds its last stage with SOURCE_DATE_EPOCH=0, tags the image and exits.
 * Exits 3 when a step was not CACHED and the first argument is --expect-cached.
 *
 * <pre>java -cp BUILDONCE.jar:minke-dsl.jar:lib/* BuildOnce [--expect-cached] STORE CONTEXT TAG</pre>
 */
public class BuildOnce {
  public static void main(String[] args) throws Exception {
    int a = 0;
    boolean expectCached = args[0].equals("--expect-cached");
    if (expectCached) {
      a++;
    }
    Store store = Store.open(Path.of(args[a]));
    Path context = Path.of(args[a + 1]);
    DockerfileStages stages = DockerfileStages.parse(Files.readString(context.resolve("Dockerfile")));
    DockerfileStage stage = stages.stages().get(stages.stages().size() - 1);
    // What a build verb does with the parsed stage: the engine's steps as they are, plain RUN
    // lines (no --mount/--network/--security, no here-documents) as RUN steps.
    List<Step> steps = new ArrayList<>();
    for (DockerfileStep step : stage.steps()) {
      if (step instanceof DockerfileStep.Supported supported) {
        steps.add(supported.step());
      } else if (step instanceof DockerfileStep.Run run && run.mounts().isEmpty() && run.network().isEmpty()
          && run.security().isEmpty() && run.heredocs().isEmpty()) {
        steps.add(run.execForm() ? RunStep.exec(run.command()) : RunStep.shell(String.join(" ", run.command())));
      } else {
        throw new IllegalStateException("not supported by this stand-in: " + step.source().original());
      }
    }
    BaseImage base = stage.base().orElseThrow();
    BuildResult result = new Builder(store).build(base, steps,
        BuildOptions.defaults().withContextDir(context).withSourceDateEpoch(0));
    store.images().tag(Reference.parse(args[a + 2]), result.manifestDescriptor());
    for (StepResult step : result.steps()) {
      if (expectCached && step.verdict() != Verdict.CACHED) {
        System.err.println("not cached: " + step.createdBy() + " (" + step.reason() + ")");
        System.exit(3);
      }
    }
  }
}
