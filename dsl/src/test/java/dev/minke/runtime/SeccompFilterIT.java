package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * minke-init loads Docker's default seccomp profile as a BPF program compiled at build time
 * (seccomp.c, host/seccomp-gen.c). {@code seccomp-check} (host/seccomp-check.c, built next to
 * minke-init by build.sh) checks that this program is the one libseccomp builds from the same list,
 * and that a process filtered by either gets the same verdicts for blocked, conditional (clone
 * flags, socket family, personality), ENOSYS (clone3) and allowed calls on the native, x32 and
 * i386 ABIs.
 */
class SeccompFilterIT {
  @Test
  void precompiledFilter_givesLibseccompsVerdicts() throws Exception {
    Path check = Paths.get("target/native-check/seccomp-check-" + MinkeInitIT.unameMachine());
    assumeTrue(Files.isExecutable(check), "seccomp-check was not built (no gcc or libseccomp)");
    Process p = new ProcessBuilder(check.toAbsolutePath().toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "seccomp-check did not end");
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.startsWith("ok   program: "), out);
    assertTrue(out.contains("ok   clone3(NULL, 0)") && out.contains("errno 38 (ENOSYS)"), out);
    assertTrue(out.contains("ok   clone(CLONE_NEWUSER|CLONE_THREAD)"), out);
    assertTrue(out.lines().noneMatch(l -> l.startsWith("FAIL")), out);
  }
}
