package dev.minke.view;

import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.DockerDefaults;
import dev.minke.runtime.RuntimeSpec;
import dev.minke.runtime.SeccompProfile;
import java.util.ArrayList;
import java.util.List;

/** Runtime values as {@code docker run} makes them, for view tests that need no container. */
final class Specs {
  static final String ID = "3f2a9c0d1e2b" + "0".repeat(52);

  private Specs() {}

  /** A spec like SpecBuilder's for {@code docker run -m 64m --cpus 0.5 --pids-limit 100 busybox sh -c …}. */
  static RuntimeSpec spec(String... args) {
    List<RuntimeSpec.Namespace> namespaces = new ArrayList<>();
    DockerDefaults.NAMESPACES.forEach(ns -> namespaces.add(RuntimeSpec.Namespace.of(ns)));
    RuntimeSpec.Process process = new RuntimeSpec.Process(false, new RuntimeSpec.User(0, 0, List.of()),
        List.of(args), List.of(DockerDefaults.PATH, "HOSTNAME=box"), "/",
        new RuntimeSpec.Capabilities(DockerDefaults.CAPABILITIES, DockerDefaults.CAPABILITIES, List.of(),
            DockerDefaults.CAPABILITIES, List.of()),
        List.of(new RuntimeSpec.Rlimit("RLIMIT_NOFILE", 1024, 1024)), true);
    RuntimeSpec.Resources resources = new RuntimeSpec.Resources(new RuntimeSpec.Memory(64L << 20),
        new RuntimeSpec.Cpu(50_000L, 100_000L), new RuntimeSpec.Pids(100));
    RuntimeSpec.Linux linux = new RuntimeSpec.Linux(namespaces, List.of(), List.of(), resources, "/minke/" + ID,
        DockerDefaults.MASKED_PATHS, DockerDefaults.READONLY_PATHS, "private", null, SeccompProfile.defaultProfile());
    List<RuntimeSpec.Mount> mounts = new ArrayList<>(DockerDefaults.mounts());
    mounts.add(new RuntimeSpec.Mount("/data", "bind", "/var/lib/minke/volumes/data/_data", List.of("rbind")));
    return new RuntimeSpec(RuntimeSpec.OCI_VERSION, process, new RuntimeSpec.Root("rootfs", false), "box", mounts,
        linux);
  }

  static ContainerRecord running(String name, String... command) {
    return new ContainerRecord(ID, name, "busybox", "sha256:" + "cd".repeat(32), "2026-11-28T00:00:00Z",
        List.of(command), ContainerRecord.State.RUNNING, 100, 5, 101, null, false, "2026-11-28T00:00:01Z", null,
        "minke-init", null);
  }

  static ContainerRecord exited(String name, int code, boolean oom) {
    return new ContainerRecord(ID, name, "busybox", null, "2026-11-28T00:00:00Z", List.of("sh"),
        ContainerRecord.State.EXITED, 100, 5, 101, code, oom, "2026-11-28T00:00:01Z", "2026-11-28T00:00:02Z",
        "minke-init", null);
  }
}
