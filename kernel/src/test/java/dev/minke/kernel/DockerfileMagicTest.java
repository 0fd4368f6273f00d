package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerfileMagicTest {
  @Test
  void recognisesTheMagicOnTheFirstLine() {
    assertTrue(DockerfileMagic.isDockerfileCell("%%dockerfile\nFROM busybox"));
    assertTrue(DockerfileMagic.isDockerfileCell("\n  %%dockerfile -t a\nFROM busybox"));
    assertFalse(DockerfileMagic.isDockerfileCell("from(\"busybox\")"));
  }

  @Test
  void parsesTagTargetBuildArgsAndNoCache() {
    DockerfileMagic.Request request =
        DockerfileMagic.Request.parse("-t me/app:1 --target build --build-arg V=1 --build-arg W=a=b --no-cache");
    assertEquals("docker.io/me/app:1", request.tag().toString());
    assertEquals("build", request.target());
    assertEquals(Map.of("V", "1", "W", "a=b"), request.buildArgs());
    assertTrue(request.noCache());
  }

  @Test
  void unknownOption_isAClearError() {
    MagicUsageException e = assertThrows(MagicUsageException.class, () -> DockerfileMagic.Request.parse("--squash"));
    assertTrue(e.getMessage().contains("--squash") && e.hint().contains("-t TAG"), e.getMessage());
  }

  @Test
  void optionWithoutValue_isAClearError() {
    assertThrows(MagicUsageException.class, () -> DockerfileMagic.Request.parse("-t"));
  }
}
