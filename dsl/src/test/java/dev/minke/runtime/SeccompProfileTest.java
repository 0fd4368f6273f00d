package dev.minke.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The seccomp list minke-init is compiled from, as the runtime-spec section runc gets. */
class SeccompProfileTest {
  @Test
  void theListIsReadAndBecomesDockersShape() {
    RuntimeSpec.Seccomp profile = SeccompProfile.build(SeccompProfile.rules(), "amd64");
    assertEquals("SCMP_ACT_ERRNO", profile.defaultAction());
    assertEquals(1, profile.defaultErrnoRet());
    assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), profile.architectures());
    List<String> allowed = profile.syscalls().get(0).names();
    assertTrue(allowed.containsAll(List.of("read", "write", "execve", "exit_group")), allowed.toString());
    for (String blocked : List.of("keyctl", "add_key", "unshare", "mount", "ptrace", "clone", "clone3")) {
      assertFalse(allowed.contains(blocked), blocked + " must not be allowed unconditionally");
    }
    RuntimeSpec.Syscall clone = profile.syscalls().stream().filter(s -> s.names().equals(List.of("clone")))
        .findFirst().orElseThrow();
    assertEquals(List.of(new RuntimeSpec.SyscallArg(0, 0x7E020000L, 0L, "SCMP_CMP_MASKED_EQ")), clone.args());
    assertEquals(5, profile.syscalls().stream().filter(s -> s.names().equals(List.of("personality"))).count());
    RuntimeSpec.Syscall clone3 = profile.syscalls().stream().filter(s -> s.names().equals(List.of("clone3")))
        .findFirst().orElseThrow();
    assertEquals(38, clone3.errnoRet());
    String json = new String(Json.bytes(profile));
    assertTrue(json.contains("\"valueTwo\":0"), json.substring(0, 200));
  }

  @Test
  void aBadLine_isRefusedWithItsNumber() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> SeccompProfile.parse("# c\nread ALLOW\nwrite MAYBE\n"));
    assertTrue(e.getMessage().contains(":3:"), e.getMessage());
  }
}
