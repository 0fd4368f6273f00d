package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Docker's {@code -v}, {@code --mount} and {@code --tmpfs} syntax, parsed into {@link MountSpec}s. */
class VolumeFlagsTest {
  @Test
  void volumeFlag_namedVolume_readOnly() {
    assertEquals(new MountSpec(MountSpec.Type.VOLUME, "dbdata", "/var/lib/db", true, null, List.of(), false, false),
        MountSpec.parseVolumeFlag("dbdata:/var/lib/db:ro"));
  }

  @Test
  void volumeFlag_hostPath_isABindThatMayBeCreated() {
    MountSpec bind = MountSpec.parseVolumeFlag("/srv/site/:/usr/share/html/:rw,rshared");
    assertEquals(new MountSpec(MountSpec.Type.BIND, "/srv/site", "/usr/share/html", false, "rshared", List.of(), true,
        false), bind);
    assertEquals(List.of("rbind", "rshared", "rw"), bind.specOptions());
  }

  @Test
  void volumeFlag_relativeHostPath_isTakenFromTheWorkingDirectory() {
    assertEquals(Path.of("site").toAbsolutePath().toString(), MountSpec.parseVolumeFlag("./site:/site").source());
  }

  @Test
  void volumeFlag_pathAlone_isAnAnonymousVolume() {
    MountSpec anonymous = MountSpec.parseVolumeFlag("/data");
    assertEquals(MountSpec.Type.VOLUME, anonymous.type());
    assertEquals(null, anonymous.source());
    assertEquals(List.of("rbind", "rprivate", "rw"), anonymous.specOptions());
  }

  @Test
  void volumeFlag_nocopy_andSelinuxLabels() {
    assertTrue(MountSpec.parseVolumeFlag("v1:/data:nocopy,z").noCopy());
  }

  @ParameterizedTest
  @ValueSource(strings = {"data", "v1:data", "v1:/data:bogus", "a:/b:ro:x", ":/data", "bad name:/data", "v1:/",
      "/host:/data:nocopy", "v1:/data:rshared", "/a|b:/c"})
  void volumeFlag_bad_isRefused(String spec) {
    assertThrows(IllegalArgumentException.class, () -> MountSpec.parseVolumeFlag(spec));
  }

  @Test
  void mountFlag_bind_readonly_propagation() {
    assertEquals(new MountSpec(MountSpec.Type.BIND, "/srv", "/data", true, "rslave", List.of(), false, false),
        MountSpec.parseMountFlag("type=bind,source=/srv,target=/data,readonly,bind-propagation=rslave"));
  }

  @Test
  void mountFlag_volumeIsTheDefaultType_andSourceIsOptional() {
    assertEquals(MountSpec.volume("db", "/db", false), MountSpec.parseMountFlag("src=db,dst=/db,ro=false"));
    assertEquals(MountSpec.anonymousVolume("/db"), MountSpec.parseMountFlag("destination=/db"));
    assertTrue(MountSpec.parseMountFlag("type=volume,target=/db,volume-nocopy=true").noCopy());
  }

  @Test
  void mountFlag_tmpfs_sizeAndMode() {
    MountSpec tmpfs = MountSpec.parseMountFlag("type=tmpfs,target=/run,tmpfs-size=64m,tmpfs-mode=1770");
    assertEquals(List.of("nosuid", "nodev", "noexec", "size=64m", "mode=1770", "rw"), tmpfs.specOptions());
  }

  @ParameterizedTest
  @ValueSource(strings = {"type=bind,target=/x", "type=bind,source=/a", "type=nfs,target=/x", "target=/x,color=red",
      "type=tmpfs,source=/a,target=/x", "type=bind,source=/a,target=/x,volume-nocopy", "type=volume,target=/x,ro=maybe",
      "type=volume,target=/x,bind-propagation=rshared", "type=bind,source=/a,target=/x,tmpfs-size=1m"})
  void mountFlag_bad_isRefused(String spec) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MountSpec.parseMountFlag(spec));
    assertTrue(!e.getMessage().isEmpty());
  }

  @Test
  void tmpfsFlag_optionsAfterTheColon() {
    MountSpec tmpfs = MountSpec.parseTmpfsFlag("/run:size=64m,exec,ro");
    assertEquals("/run", tmpfs.target());
    assertTrue(tmpfs.readOnly());
    assertEquals(List.of("nosuid", "nodev", "noexec", "size=64m", "exec", "ro"), tmpfs.specOptions());
    assertEquals(List.of("nosuid", "nodev", "noexec", "rw"), MountSpec.parseTmpfsFlag("/run").specOptions());
  }

  @Test
  void runOptions_collectMounts_andKeepThemThroughOtherSetters() {
    RunOptions options = RunOptions.defaults().withVolume("db:/db").withTmpfs("/run", "").withEnv("A", "1")
        .withoutDefaultPidsLimit().withMount("type=bind,src=/srv,dst=/srv");
    assertEquals(List.of("/db", "/run", "/srv"), options.mounts().stream().map(MountSpec::target).toList());
  }

  @Test
  void initSpec_writesMountRecords_forTheExtraMountsOnly() {
    RuntimeSpec.Mount bind = new RuntimeSpec.Mount("/data", "bind", "/v/db/_data", List.of("rbind", "rprivate", "ro"));
    assertEquals("/data|bind|/v/db/_data|rbind,rprivate,ro", InitSpec.mountRecord(bind));
    RuntimeSpec spec = new RuntimeSpec(RuntimeSpec.OCI_VERSION, new RuntimeSpec.Process(false,
        new RuntimeSpec.User(0, 0, List.of()), List.of("true"), List.of(), "/", null, List.of(), true),
        new RuntimeSpec.Root("rootfs", false), "h", DockerDefaults.mounts(),
        new RuntimeSpec.Linux(List.of(RuntimeSpec.Namespace.of("mount")), null, null, null, null, null, null, null,
            null, null)).withExtraMounts(List.of(bind));
    String records = new String(InitSpec.encode(spec, new RootfsPlan(Path.of("/o"), List.of("l"), Path.of("/o/u"),
        Path.of("/o/w"), Path.of("/o/r")), List.of(), java.util.Optional.empty()), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(1, records.split("\0mount=", -1).length - 1, records);
    assertTrue(records.contains("\0mount=/data|bind|/v/db/_data|rbind,rprivate,ro\0"), records);
  }

  @Test
  void mountTargetInsideProc_isRefused_butLxcfsFilesAreAllowed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MountSpec.parseVolumeFlag("/srv/kernel:/proc/sys/kernel"));
    assertTrue(e.getMessage().contains("inside /proc"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> MountSpec.parseVolumeFlag("/srv/p:/proc"));
    assertThrows(IllegalArgumentException.class, () -> MountSpec.parseTmpfsFlag("/proc/../proc/sys"));
    assertEquals("/proc/meminfo", MountSpec.parseVolumeFlag("/var/lib/lxcfs/proc/meminfo:/proc/meminfo:ro").target());
    assertEquals("/procfiles", MountSpec.parseVolumeFlag("/srv/p:/procfiles").target());
  }
}
