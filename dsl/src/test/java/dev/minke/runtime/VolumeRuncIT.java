package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link VolumeLifecycleIT} under runc, which takes the same {@code config.json} mounts as they
 * are: both backends must mount volumes, binds and tmpfs the same way.
 */
class VolumeRuncIT extends VolumeLifecycleIT {
  @BeforeAll
  static void selectRunc() {
    System.setProperty("minke.runtime", "runc");
  }

  @AfterAll
  static void selectDefault() {
    System.clearProperty("minke.runtime");
  }

  @Test
  void theRuntimeIsRunc() {
    assertEquals("runc", Runtimes.select(store.home()).name());
  }
}
