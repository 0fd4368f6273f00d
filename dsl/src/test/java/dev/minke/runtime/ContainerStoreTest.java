package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerStoreTest {
  @TempDir Path home;

  private static ContainerRecord created(String id, String name) {
    return new ContainerRecord(id, name, "busybox", "sha256:" + "0".repeat(64), "2026-11-27T00:00:00Z",
        List.of("true"), ContainerRecord.State.CREATED, 0, 0, 0, null, false, null, null, null, null);
  }

  @Test
  void get_byFullIdNamePrefix() {
    ContainerStore store = new ContainerStore(home);
    String a = "ab".repeat(32);
    String b = "cd".repeat(32);
    store.create(created(a, "first"));
    store.create(created(b, "second"));

    assertEquals("first", store.get(a).name());
    assertEquals(b, store.get("second").id());
    assertEquals(a, store.get("abab").id());
    assertThrows(ContainerNotFoundException.class, () -> store.get("ef".repeat(32)));
    assertThrows(ContainerNotFoundException.class, () -> store.get("../" + "a".repeat(61)));
  }

  @Test
  void runningMinkeInitRecord_takesTheContainerPidFromTheReport() throws Exception {
    ContainerStore store = new ContainerStore(home);
    String id = "12".repeat(32);
    store.create(created(id, "c"));
    ContainerRecord running = store.get(id).running(4242, 0, 0, "2026-11-27T00:00:01Z", "minke-init");
    store.save(running);
    assertEquals(0, store.get(id).containerPid()); // no report yet: setup still running

    Files.writeString(store.dir(id).resolve("init.report"), "warning x\npid 4243\n");
    assertEquals(4243, store.get(id).containerPid());
    assertEquals(4243, store.list().get(0).containerPid());
    assertEquals(4243, store.find(id).orElseThrow().containerPid());

    store.save(running.running(4242, 0, 0, running.startedAt(), "runc")); // runc: only what is saved
    assertEquals(0, store.get(id).containerPid());
    store.save(running.exited(0, false, "2026-11-27T00:00:02Z", null));
    assertEquals(0, store.get(id).containerPid());
    assertEquals("2026-11-27T00:00:01Z", store.get(id).startedAt());
  }
}
