package dev.minke.runtime;

import java.util.Locale;

/**
 * The limits of one cgroup, normalized from {@link RuntimeSpec.Resources}: {@link #UNLIMITED}
 * where nothing was asked, Docker's default period, and checked against this machine.
 */
record CgroupLimits(long memoryBytes, long cpuQuotaMicros, long cpuPeriodMicros, long pidsMax) {
  static final long UNLIMITED = -1;
  static final long DEFAULT_CPU_PERIOD_MICROS = 100_000;
  // The kernel's bounds for CFS bandwidth (kernel/sched/core.c: 1 ms .. 1 s period, quota ≥ 1 ms).
  private static final long MIN_MICROS = 1_000;
  private static final long MAX_PERIOD_MICROS = 1_000_000;

  static final CgroupLimits NONE =
      new CgroupLimits(UNLIMITED, UNLIMITED, DEFAULT_CPU_PERIOD_MICROS, UNLIMITED);

  /**
   * Reads the limits out of {@code resources} (null parts, zero and negative values are
   * unlimited, as Docker's {@code --memory 0}) and checks the CPU quota against {@code onlineCpus}.
   */
  static CgroupLimits of(RuntimeSpec.Resources resources, int onlineCpus) {
    if (resources == null) {
      return NONE;
    }
    long memory = positiveOr(resources.memory() == null ? null : resources.memory().limit());
    long quota = UNLIMITED;
    long period = DEFAULT_CPU_PERIOD_MICROS;
    if (resources.cpu() != null) {
      quota = positiveOr(resources.cpu().quota());
      Long askedPeriod = resources.cpu().period();
      period = askedPeriod == null || askedPeriod <= 0 ? DEFAULT_CPU_PERIOD_MICROS : askedPeriod;
    }
    long pids = resources.pids() == null ? UNLIMITED : positiveOr(resources.pids().limit());
    CgroupLimits limits = new CgroupLimits(memory, quota, period, pids);
    limits.checkCpu(onlineCpus);
    return limits;
  }

  boolean any() {
    return memoryBytes != UNLIMITED || cpuQuotaMicros != UNLIMITED || pidsMax != UNLIMITED;
  }

  boolean limitsMemory() {
    return memoryBytes != UNLIMITED;
  }

  boolean limitsCpu() {
    return cpuQuotaMicros != UNLIMITED;
  }

  boolean limitsPids() {
    return pidsMax != UNLIMITED;
  }

  /** Whether this asks anything of {@code controller} ({@code memory}, {@code cpu}, {@code pids}). */
  boolean needs(String controller) {
    return switch (controller) {
      case "memory" -> limitsMemory();
      case "cpu" -> limitsCpu();
      case "pids" -> limitsPids();
      default -> false;
    };
  }

  private void checkCpu(int onlineCpus) {
    if (cpuPeriodMicros < MIN_MICROS || cpuPeriodMicros > MAX_PERIOD_MICROS) {
      throw new CgroupException(
          "cpu", null, "cpu period " + cpuPeriodMicros + " µs is out of the kernel's range",
          "use a period from 1000 to 1000000 µs (Docker's default is 100000)");
    }
    if (!limitsCpu()) {
      return;
    }
    if (cpuQuotaMicros < MIN_MICROS) {
      throw new CgroupException(
          "cpu", null, "cpu quota " + cpuQuotaMicros + " µs is below the kernel's minimum of 1000 µs",
          "ask for at least 0.01 CPUs (quota 1000 µs per 100000 µs period)");
    }
    double cpus = (double) cpuQuotaMicros / cpuPeriodMicros;
    if (cpus > onlineCpus) {
      // Docker refuses the same way: "Range of CPUs is from 0.01 to N.00, as there are only N CPUs".
      throw new CgroupException(
          "cpu", null,
          String.format(
              Locale.ROOT, "cpu quota %d/%d µs asks for %.2f CPUs but this machine has only %d",
              cpuQuotaMicros, cpuPeriodMicros, cpus, onlineCpus),
          String.format(Locale.ROOT, "ask for 0.01 to %d.00 CPUs", onlineCpus));
    }
  }

  private static long positiveOr(Long value) {
    return value == null || value <= 0 ? UNLIMITED : value;
  }

  private static long positiveOr(long value) {
    return value <= 0 ? UNLIMITED : value;
  }
}
