package dev.minke.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * {@code <root>/<id>/state.json}: what {@code minke runtime create} leaves for the later verbs.
 * The status is not stored but derived (see {@link OciStateDir#status}). Start times are field 22
 * of {@code /proc/PID/stat}, so that a recycled PID is never taken for the container.
 *
 * @param monitorPid the wrapper shell that runs minke-init and records its exit status
 * @param pid the container process (PID 1 of its namespace) as the host sees it
 * @param cgroupDirs the container's cgroup directories, removed by {@code delete}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record OciState(
    String ociVersion, String id, String bundle, String rootfs, String created, Map<String, String> annotations,
    long monitorPid, long monitorStartTime, long pid, long pidStartTime, List<String> cgroupDirs) {
  OciState {
    annotations = annotations == null ? Map.of() : annotations;
    cgroupDirs = cgroupDirs == null ? List.of() : List.copyOf(cgroupDirs);
  }
}
