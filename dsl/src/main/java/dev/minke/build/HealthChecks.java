package dev.minke.build;

import dev.minke.image.HealthCheck;
import java.time.Duration;
import java.util.List;

/** Builds {@link HealthCheck} values the way Dockerfile's HEALTHCHECK flags do. */
public final class HealthChecks {
  private HealthChecks() {}

  /** A check run with the container's shell ({@code CMD-SHELL}), with Docker's default timings. */
  public static HealthCheck shell(String command) {
    return new HealthCheck(List.of("CMD-SHELL", command), 0, 0, 0, 0, 0);
  }

  /** A check run as an exec-form command ({@code CMD}). */
  public static HealthCheck exec(String... argv) {
    List<String> test = new java.util.ArrayList<>();
    test.add("CMD");
    test.addAll(List.of(argv));
    return new HealthCheck(test, 0, 0, 0, 0, 0);
  }

  /** Disables a health check inherited from the base image. */
  public static HealthCheck none() {
    return new HealthCheck(List.of("NONE"), 0, 0, 0, 0, 0);
  }

  /** The same check with its interval, timeout and retries set. */
  public static HealthCheck timed(HealthCheck check, Duration interval, Duration timeout, int retries) {
    if (retries < 0) {
      throw new IllegalArgumentException("health check retries must be 0 or more, not " + retries);
    }
    return new HealthCheck(check.test(), interval.toNanos(), timeout.toNanos(),
        check.startPeriodNanos(), check.startIntervalNanos(), retries);
  }

  static String flags(HealthCheck check) {
    StringBuilder flags = new StringBuilder();
    if (check.intervalNanos() > 0) {
      flags.append("--interval=").append(seconds(check.intervalNanos())).append(' ');
    }
    if (check.timeoutNanos() > 0) {
      flags.append("--timeout=").append(seconds(check.timeoutNanos())).append(' ');
    }
    if (check.retries() > 0) {
      flags.append("--retries=").append(check.retries()).append(' ');
    }
    return flags.toString();
  }

  private static String seconds(long nanos) {
    Duration d = Duration.ofNanos(nanos);
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
