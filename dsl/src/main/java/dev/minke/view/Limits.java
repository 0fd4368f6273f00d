package dev.minke.view;

import dev.minke.image.ByteSizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The cgroup limits of a container in words: {@code memory 64.0 MB, cpus 0.50, pids 100}. */
final class Limits {
  private Limits() {}

  /** From the {@code cgroup} part of {@link RuntimeSpecView#explained}. */
  static String text(Map<String, Object> cgroup) {
    List<String> limits = new ArrayList<>();
    if (cgroup.get("memoryBytes") instanceof Number memory) {
      limits.add("memory " + ByteSizes.human(memory.longValue()));
    }
    if (cgroup.get("cpuQuota") instanceof Number quota && cgroup.get("cpuPeriod") instanceof Number period
        && period.longValue() > 0) {
      limits.add(String.format(Locale.ROOT, "cpus %.2f", quota.doubleValue() / period.doubleValue()));
    }
    if (cgroup.get("pids") instanceof Number pids) {
      limits.add("pids " + pids.longValue());
    }
    return limits.isEmpty() ? "no limits" : String.join(", ", limits);
  }
}
