package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.runtime.RunResult;
import dev.minke.runtime.net.PortMapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Containers and runs from their records: what the text, the HTML and the JSON say. */
class ContainerViewTest {

  @Test
  @SuppressWarnings("unchecked")
  void running_showsStateLimitsNetworkAndConfig() {
    ContainerNetwork network = new ContainerNetwork("bridge", "10.213.0.5", List.of(PortMapping.parse("8080:80")));
    MimeBundle bundle = ContainerView.of(Specs.running("web", "httpd", "-f"), Specs.spec("httpd", "-f"), network);
    Xhtml.check(bundle);
    Map<String, Object> json = bundle.json();
    assertEquals(Specs.ID, json.get("id"));
    assertEquals("web", json.get("name"));
    assertEquals("RUNNING", json.get("state"));
    assertFalse(json.containsKey("exitCode"));
    assertEquals(List.of("httpd", "-f"), json.get("command"));
    assertEquals(Map.of("memoryBytes", 64L << 20, "cpuQuota", 50_000L, "cpuPeriod", 100_000L, "pids", 100L),
        json.get("limits"));
    assertEquals(Map.of("name", "bridge", "address", "10.213.0.5", "ports", List.of(Map.of("hostIp", "0.0.0.0",
        "hostPort", 8080, "containerPort", 80, "protocol", "tcp"))), json.get("network"));
    assertTrue(((Map<String, Object>) json.get("config")).containsKey("explained"));
    assertEquals("""
        container  web (3f2a9c0d1e2b)
        state      running
        image      busybox
        command    httpd -f
        limits     memory 67.1 MB, cpus 0.50, pids 100
        network    bridge 10.213.0.5, ports 0.0.0.0:8080->80/tcp""", bundle.plain());
    String text = Xhtml.text(bundle);
    assertTrue(text.contains("0.0.0.0:8080->80/tcp"), text);
    assertTrue(text.contains("2026-11-28T00:00:01Z"), "start time in the HTML: " + text);
    assertFalse(bundle.plain().contains("2026"), "no times in the text");
    assertFalse(json.toString().contains("2026-11-28T00:00:01Z"), "no times in the JSON");
  }

  @Test
  void exitedByOom_withoutSpecOrNetwork_saysSo() {
    MimeBundle bundle = ContainerView.of(Specs.exited("hog", 137, true), null, null);
    Xhtml.check(bundle);
    assertEquals(137, bundle.json().get("exitCode"));
    assertEquals(true, bundle.json().get("oomKilled"));
    assertFalse(bundle.json().containsKey("network"));
    assertFalse(bundle.json().containsKey("config"));
    assertEquals(Map.of(), bundle.json().get("limits"));
    assertTrue(bundle.plain().contains("exited (137) OOM killed"), bundle.plain());
    assertTrue(bundle.html().contains("background:" + Styles.RED), "a red state badge");
  }

  @Test
  void hostileCommand_isEscaped() {
    Xhtml.assertEscaped(ContainerView.of(Specs.running("x", "sh", "-c", Xhtml.HOSTILE), null, null));
  }

  @Test
  void runResult_showsExitOutputAndOom_durationOnlyInHtml() {
    RunResult result = new RunResult(Specs.ID, 1, "hello\n".getBytes(StandardCharsets.UTF_8),
        (Xhtml.HOSTILE + "\n").getBytes(StandardCharsets.UTF_8), false, 2500);
    MimeBundle bundle = RunResultView.of(result);
    Xhtml.assertEscaped(bundle);
    assertEquals(1, bundle.json().get("exitCode"));
    assertEquals(false, bundle.json().get("succeeded"));
    assertEquals("hello\n", bundle.json().get("stdout"));
    assertTrue(Xhtml.text(bundle).contains("2.5s"));
    assertFalse(bundle.json().toString().contains("2500"));
  }

  @Test
  void runResult_longOutput_keepsTheLastLines() {
    StringBuilder out = new StringBuilder();
    for (int i = 1; i <= 250; i++) {
      out.append("line ").append(i).append('\n');
    }
    RunResult result = new RunResult(Specs.ID, 0, out.toString().getBytes(StandardCharsets.UTF_8), new byte[0], false, 1);
    MimeBundle bundle = RunResultView.of(result);
    Xhtml.check(bundle);
    assertEquals(50, bundle.json().get("stdoutLinesOmitted"));
    assertTrue(((String) bundle.json().get("stdout")).startsWith("line 51\n"));
  }
}
