package dev.minke.build;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Image;
import dev.minke.dsl.Stage;
import dev.minke.image.Descriptor;
import dev.minke.image.LayerListing;
import dev.minke.store.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Here-documents: RUN <<EOF scripts and COPY <<EOF files, from a Dockerfile and from the DSL. */
class RunHeredocIT {
  @TempDir Path home;
  @TempDir Path context;
  private Store store;

  @BeforeEach
  void setUp() {
    store = TestStores.withBusybox(home);
  }

  private BuildOptions options() {
    return BuildOptions.defaults().withSourceDateEpoch(0).withContextDir(context);
  }

  private BuildResult buildDockerfile(String dockerfile) {
    DockerfileBuild translated = DockerfileBuild.of(DockerfileStages.parse(dockerfile), Map.of());
    return new Builder(store).build(translated.stages(), translated.target(null), options());
  }

  @Test
  void dockerfile_runAndCopyHeredocs() throws IOException {
    BuildResult result = buildDockerfile("""
        FROM busybox
        ENV WHO=world
        RUN <<EOF
        set -e
        echo one > /one
        echo "two $0" > /two
        EOF
        RUN cat > /three <<EOT
        hello $WHO
        EOT
        COPY <<EOF /etc/motd
        welcome
        EOF
        COPY <<-CONF /conf/
        \ta=1
        \tCONF
        """);
    List<Descriptor> layers = result.manifest().layers();
    Descriptor run1 = layers.get(layers.size() - 4);
    assertEquals("one\n", RunStepIT.fileText(store, run1, "one"));
    assertEquals("two /bin/sh\n", RunStepIT.fileText(store, run1, "two"), "the script runs with the shell");
    assertEquals("hello world\n", RunStepIT.fileText(store, layers.get(layers.size() - 3), "three"));
    Descriptor motd = layers.get(layers.size() - 2);
    assertEquals("welcome\n", RunStepIT.fileText(store, motd, "etc/motd"));
    LayerListing listing = TestStores.listing(store, motd);
    assertEquals(0644, listing.entries().get("etc/motd").mode() & 07777, listing.toString());
    assertEquals("a=1\n", RunStepIT.fileText(store, layers.get(layers.size() - 1), "conf/CONF"));
    assertEquals("COPY <<EOF /etc/motd", result.steps().get(3).createdBy());
  }

  @Test
  void dsl_runScriptAndCopyText_cacheKeyedOnTheText() throws IOException {
    Stage stage = from("busybox").copyText("#!/bin/sh\necho hi\n", "/app/run.sh")
        .runScript("set -e\nchmod +x /app/run.sh\n/app/run.sh > /app/out\n");
    Image image = stage.context(context).buildIn(store, options());
    List<Descriptor> layers = image.manifest().layers();
    assertEquals("hi\n", RunStepIT.fileText(store, layers.get(layers.size() - 1), "app/out"));
    assertEquals("#!/bin/sh\necho hi\n", RunStepIT.fileText(store, layers.get(layers.size() - 2), "app/run.sh"));

    Image same = stage.context(context).buildIn(store, options());
    assertEquals(List.of(Verdict.CACHED, Verdict.CACHED), same.steps().stream().map(StepResult::verdict).toList());
    Image changed = from("busybox").copyText("#!/bin/sh\necho bye\n", "/app/run.sh")
        .runScript("set -e\nchmod +x /app/run.sh\n/app/run.sh > /app/out\n").context(context).buildIn(store, options());
    assertEquals(Verdict.BUILT, changed.steps().get(0).verdict(), "the text is part of the key");
    List<Descriptor> changedLayers = changed.manifest().layers();
    assertEquals("bye\n", RunStepIT.fileText(store, changedLayers.get(changedLayers.size() - 1), "app/out"));
  }

  @Test
  void dsl_toDockerfile_printsHeredocs_andBuildsTheSameImage() {
    Stage stage = from("busybox").copyText("a $HOME line\n", "/notes/").runScript("echo x > /x\necho y > /y\n");
    Image dsl = stage.context(context).buildIn(store, options());
    String dockerfile = stage.toDockerfile();
    assertTrue(dockerfile.contains("COPY <<\"EOF\" /notes/\na $HOME line\nEOF\n"), dockerfile);
    String withDelimiterLine = from("busybox").copyText("EOF\n", "/f").toDockerfile();
    assertTrue(withDelimiterLine.contains("COPY <<\"EOF_\" /f\nEOF\nEOF_\n"), withDelimiterLine);
    assertTrue(dockerfile.contains("RUN <<EOF\necho x > /x\necho y > /y\nEOF\n"), dockerfile);
    BuildResult fromFile = buildDockerfile(dockerfile);
    assertEquals(dsl.digest(), fromFile.manifestDescriptor().digest(), dockerfile);
  }
}
