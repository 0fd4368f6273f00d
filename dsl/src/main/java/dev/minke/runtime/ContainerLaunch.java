package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a backend needs to start one container: its directory (bundle and state live
 * there), the runtime spec, the overlay root filesystem, the cgroups Java made for it, and where
 * its standard streams go.
 *
 * @param deviceFilterDir the cgroup v2 directory to attach the device filter to ({@link
 *     CgroupHandle#deviceFilterDir()})
 */
public record ContainerLaunch(
    String id,
    Path containerDir,
    RuntimeSpec spec,
    RootfsPlan rootfs,
    List<Path> cgroupProcs,
    Optional<Path> deviceFilterDir,
    ProcessBuilder.Redirect stdout,
    ProcessBuilder.Redirect stderr) {

  public ContainerLaunch {
    cgroupProcs = List.copyOf(cgroupProcs);
  }
}
