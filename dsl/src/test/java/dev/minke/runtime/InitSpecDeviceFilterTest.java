package dev.minke.runtime;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which containers minke-init is told to give the cgroup v2 device filter, and with which rules. */
class InitSpecDeviceFilterTest {
  static final Path CGROUP = Path.of("/sys/fs/cgroup/minke/abc");

  @Test
  void v2Cgroup_filterOnItsDir_withDockersRules() {
    List<String> records = records(List.of("mount", "pid"), Optional.of(CGROUP));

    assertEquals(List.of("device_filter=" + CGROUP), filter(records, "device_filter="));
    assertEquals(DeviceRules.DOCKER_DEFAULT.stream().map(r -> "device_allow=" + r).toList(),
        filter(records, "device_allow="));
  }

  @Test
  void v1OrNoCgroup_noFilter() {
    assertEquals(List.of(), filter(records(List.of("mount", "pid"), Optional.empty()), "device_"));
  }

  @Test
  void userNamespace_noFilter() {
    // Rootless: no BPF for an unprivileged user, and no mknod of real devices in a user namespace.
    assertEquals(List.of(), filter(records(List.of("mount", "user"), Optional.of(CGROUP)), "device_"));
  }

  @Test
  void v2Cgroup_handleGivesItsDir_v1AndNoneGiveNothing() {
    assertEquals(Optional.of(CGROUP),
        V2Cgroup.open(CgroupFs.KERNEL, Path.of("/sys/fs/cgroup"), "abc").deviceFilterDir());
    assertEquals(Optional.empty(),
        V1Cgroup.open(CgroupFs.KERNEL, java.util.Map.of("devices", Path.of("/sys/fs/cgroup/devices")), "abc")
            .deviceFilterDir());
    assertEquals(Optional.empty(), new NoCgroup("abc", "none here").deviceFilterDir());
  }

  static List<String> records(List<String> namespaces, Optional<Path> deviceFilterDir) {
    RuntimeSpec spec = new RuntimeSpec(RuntimeSpec.OCI_VERSION, new RuntimeSpec.Process(false,
        new RuntimeSpec.User(0, 0, List.of()), List.of("true"), List.of(), "/", null, List.of(), true),
        new RuntimeSpec.Root("rootfs", false), "h", DockerDefaults.mounts(),
        new RuntimeSpec.Linux(namespaces.stream().map(RuntimeSpec.Namespace::of).toList(), null, null, null, null,
            null, null, null, null, null));
    byte[] encoded = InitSpec.encode(spec, Path.of("/rootfs"), List.of(CGROUP.resolve("cgroup.procs")),
        deviceFilterDir, "default");
    return Arrays.asList(new String(encoded, UTF_8).split("\0"));
  }

  static List<String> filter(List<String> records, String prefix) {
    return records.stream().filter(r -> r.startsWith(prefix)).toList();
  }
}
