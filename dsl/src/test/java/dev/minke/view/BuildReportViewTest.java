package dev.minke.view;

import static dev.minke.Minke.from;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.build.BuildOptions;
import dev.minke.build.BuildResult;
import dev.minke.build.TestStores;
import dev.minke.dsl.Build;
import dev.minke.store.Store;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The build report: every stage and step with its verdict and reason. */
class BuildReportViewTest {
  @TempDir Path home;

  @Test
  void multiStageBuild_reportsSkippedStageWithReason_andStepVerdicts() {
    Store store = TestStores.withBusybox(home);
    Build build = Build.of(
        from("busybox").as("data").copyText("hi", "/out/hello"),
        from("busybox").as("unused").copyText("x", "/x"),
        from("busybox").as("app").copyFrom("data", "/out/hello", "/hello").env("A", "1"));
    BuildOptions options = BuildOptions.defaults().withSourceDateEpoch(0);
    build.result(store, options);
    BuildResult result = build.result(store, options);
    MimeBundle bundle = BuildReportView.bundle(result);
    Views.assertStatic(bundle);
    Map<String, Object> json = Views.roundTrip(bundle);
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> stages = (List<Map<String, Object>>) json.get("stages");
    Map<String, Object> unused = stages.stream().filter(s -> s.get("stage").toString().contains("unused"))
        .findFirst().orElseThrow();
    assertEquals("SKIPPED", unused.get("verdict"));
    assertFalse(unused.get("reason").toString().isEmpty());
    Map<String, Object> app = stages.get(stages.size() - 1);
    assertEquals("CACHED", app.get("verdict"));
    assertEquals(json.get("steps"), json.get("cacheHits"));
    assertTrue(bundle.plain().contains("SKIPPED"), bundle.plain());
    assertTrue(bundle.html().contains("colspan=\"6\""));
    assertEquals(bundle, BuildReportView.bundle(result));
    assertTrue(MimeBundles.of(result).isPresent());
  }
}
