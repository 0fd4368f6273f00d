package dev.minke.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.runtime.DockerDefaults;
import dev.minke.runtime.RuntimeSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** config.json in a cell: the explained table, the collapsed document, and the JSON twin. */
class RuntimeSpecViewTest {

  @Test
  @SuppressWarnings("unchecked")
  void explained_namesTheKeyParts() {
    Map<String, Object> explained = RuntimeSpecView.explained(Specs.spec("sh", "-c", "echo hi"));
    assertEquals(List.of("pid", "network", "ipc", "uts", "mount", "cgroup"), explained.get("namespaces"));
    assertEquals(Map.of("count", 14, "names", DockerDefaults.CAPABILITIES), explained.get("capabilities"));
    Map<String, Object> seccomp = (Map<String, Object>) explained.get("seccomp");
    assertEquals("SCMP_ACT_ERRNO", seccomp.get("defaultAction"));
    assertTrue((Integer) seccomp.get("syscalls") > 100, seccomp.toString());
    assertEquals(DockerDefaults.MASKED_PATHS, explained.get("maskedPaths"));
    assertEquals(Map.of("path", "/minke/" + Specs.ID, "memoryBytes", 64L << 20, "cpuQuota", 50_000L,
        "cpuPeriod", 100_000L, "pids", 100L), explained.get("cgroup"));
    List<Map<String, Object>> mounts = (List<Map<String, Object>>) explained.get("mounts");
    assertEquals("/data", mounts.get(mounts.size() - 1).get("destination"));
    assertEquals(Map.of("args", List.of("sh", "-c", "echo hi"), "user", "0:0", "cwd", "/",
        "env", List.of(DockerDefaults.PATH, "HOSTNAME=box"), "noNewPrivileges", true), explained.get("process"));
    assertEquals(List.of("RLIMIT_NOFILE 1024/1024"), explained.get("rlimits"));
  }

  @Test
  @SuppressWarnings("unchecked")
  void bundle_hasTheTableAndTheWholeDocument() {
    RuntimeSpec spec = Specs.spec("sh");
    MimeBundle bundle = RuntimeSpecView.bundle(spec);
    Document doc = Xhtml.check(bundle);
    assertEquals(spec.toString(), bundle.plain());
    assertEquals(1, doc.getElementsByTagName("details").getLength());
    assertEquals(spec.toString(), doc.getElementsByTagName("pre").item(0).getTextContent(),
        "the pretty config.json, unchanged by escaping");
    String text = Xhtml.text(bundle);
    assertTrue(text.contains("memory 67.1 MB, cpus 0.50, pids 100"), text);
    assertTrue(text.contains("SCMP_ACT_ERRNO"), text);
    Map<String, Object> config = (Map<String, Object>) bundle.json().get("config");
    assertEquals("1.0.2", config.get("ociVersion"));
    assertEquals("box", config.get("hostname"));
    assertEquals(List.of("explained", "config"), List.copyOf(bundle.json().keySet()));
  }

  @Test
  void minimalSpec_withoutLinuxOrProcess_stillRenders() {
    RuntimeSpec bare = new RuntimeSpec("1.0.2", null, null, null, null, null);
    MimeBundle bundle = RuntimeSpecView.bundle(bare);
    Xhtml.check(bundle);
    assertFalse(RuntimeSpecView.explained(bare).containsKey("seccomp"));
    assertTrue(Xhtml.text(bundle).contains("every system call is allowed"));
  }

  @Test
  void rootless_showsTheUserMapping_andAJoinedNamespacesPath() {
    RuntimeSpec base = Specs.spec("sh");
    RuntimeSpec.Linux linux = new RuntimeSpec.Linux(
        List.of(RuntimeSpec.Namespace.of("user"), new RuntimeSpec.Namespace("network", "/proc/42/ns/net")),
        List.of(new RuntimeSpec.IdMapping(0, 1000, 1)), List.of(), null, null, null, null, null, null, null);
    RuntimeSpec spec = new RuntimeSpec(base.ociVersion(), base.process(), base.root(), null, List.of(), linux);
    Map<String, Object> explained = RuntimeSpecView.explained(spec);
    assertEquals(List.of("user", "network:/proc/42/ns/net"), explained.get("namespaces"));
    assertEquals(List.of("0->1000 (1)"), explained.get("userMappings"));
    Xhtml.check(RuntimeSpecView.bundle(spec));
  }

  @Test
  void hostileArgs_areEscaped() {
    Xhtml.assertEscaped(RuntimeSpecView.bundle(Specs.spec("sh", "-c", Xhtml.HOSTILE)));
  }
}
