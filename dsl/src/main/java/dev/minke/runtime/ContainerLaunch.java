package dev.minke.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a backend needs to start one container: its directory (bundle and state live
 * there), the runtime spec, the overlay root filesystem, the cgroups Java made for it, and where
 * its standard streams go.
 */
public record ContainerLaunch(
    String id,
    Path containerDir,
    RuntimeSpec spec,
    RootfsPlan rootfs,
    List<Path> cgroupProcs,
    ProcessBuilder.Redirect stdout,
    ProcessBuilder.Redirect stderr) {

  public ContainerLaunch {
    cgroupProcs = List.copyOf(cgroupProcs);
  }
}
