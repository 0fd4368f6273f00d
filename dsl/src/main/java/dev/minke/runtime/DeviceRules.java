package dev.minke.runtime;

import java.util.List;

/**
 * The devices a container may use, as Docker and runc allow them by default: every device is
 * denied except what these rules allow back. A container keeps CAP_MKNOD (one of Docker's 14),
 * so without them it could make and open any host device ({@code /dev/kvm}, {@code
 * /dev/loop-control}, a disk).
 *
 * <p>One list for both cgroup versions: on v1 {@link V1Cgroup} writes each rule to {@code
 * devices.allow} after {@code a} in {@code devices.deny}; on v2, which has no devices controller,
 * minke-init turns them into a BPF device program on the container's cgroup ({@code
 * device_allow=} records, dsl/src/main/c/device_filter.c).
 */
final class DeviceRules {
  private DeviceRules() {}

  /**
   * In {@code devices.allow} syntax ({@code TYPE MAJOR:MINOR ACCESS}): mknod of any node, and
   * read/write/mknod of null, zero, full, random, urandom, tty, console, ptmx and the pts slaves.
   */
  static final List<String> DOCKER_DEFAULT =
      List.of(
          "c *:* m", "b *:* m", "c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
          "c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm");
}
