package dev.minke.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Minke's default seccomp profile as a runtime-spec {@code linux.seccomp} section, for runc and
 * crun. It is read from {@code seccomp-default.list}, the same list minke-init's filter is
 * compiled from (src/main/c/build.sh makes {@code seccomp_rules.h} of it), so both backends
 * allow and refuse the same calls: Docker's default profile for a container without
 * CAP_SYS_ADMIN, EPERM for everything not listed.
 */
public final class SeccompProfile {
  static final String RESOURCE = "seccomp-default.list";

  /** The namespace flags clone must not carry (Docker's mask). */
  static final long CLONE_NS_MASK = 0x7E020000L;
  static final long AF_VSOCK = 40;
  /** The personality values Docker allows. */
  static final List<Long> PERSONALITIES = List.of(0x0L, 0x8L, 0x20000L, 0x20008L, 0xffffffffL);
  private static final int EPERM = 1;
  private static final int ENOSYS = 38;

  /** One line of the list. */
  public record Rule(String name, String kind) {}

  private static volatile RuntimeSpec.Seccomp defaultProfile;

  private SeccompProfile() {}

  /** The rules in the list, in order. */
  public static List<Rule> rules() {
    try (InputStream in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the class path");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Rule> parse(String text) {
    List<Rule> rules = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.split("\n", -1)) {
      lineNumber++;
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      String[] parts = trimmed.split("\\s+");
      if (parts.length != 2 || !parts[0].matches("[a-z_][a-z0-9_]*") || !KINDS.contains(parts[1])) {
        throw new IllegalStateException(RESOURCE + ":" + lineNumber + ": expected NAME KIND, got: " + line);
      }
      rules.add(new Rule(parts[0], parts[1]));
    }
    return rules;
  }

  private static final List<String> KINDS = List.of(
      "ALLOW", "ALLOW_CLONE_NO_NS", "ALLOW_SOCKET_NO_VSOCK", "ALLOW_PERSONALITY", "FAIL_ENOSYS", "FAIL_EPERM");

  /** The default profile for this machine's architecture (and its compat ABIs, as Docker). */
  public static RuntimeSpec.Seccomp defaultProfile() {
    RuntimeSpec.Seccomp profile = defaultProfile;
    if (profile == null) {
      profile = build(rules(), System.getProperty("os.arch"));
      defaultProfile = profile;
    }
    return profile;
  }

  static RuntimeSpec.Seccomp build(List<Rule> rules, String osArch) {
    List<String> allowed = new ArrayList<>();
    List<RuntimeSpec.Syscall> conditional = new ArrayList<>();
    for (Rule rule : rules) {
      List<String> name = List.of(rule.name());
      switch (rule.kind()) {
        case "ALLOW" -> allowed.add(rule.name());
        case "ALLOW_CLONE_NO_NS" -> conditional.add(new RuntimeSpec.Syscall(name, "SCMP_ACT_ALLOW", null,
            List.of(new RuntimeSpec.SyscallArg(0, CLONE_NS_MASK, 0L, "SCMP_CMP_MASKED_EQ"))));
        case "ALLOW_SOCKET_NO_VSOCK" -> conditional.add(new RuntimeSpec.Syscall(name, "SCMP_ACT_ALLOW", null,
            List.of(new RuntimeSpec.SyscallArg(0, AF_VSOCK, null, "SCMP_CMP_NE"))));
        case "ALLOW_PERSONALITY" -> PERSONALITIES.forEach(value -> conditional.add(new RuntimeSpec.Syscall(name,
            "SCMP_ACT_ALLOW", null, List.of(new RuntimeSpec.SyscallArg(0, value, null, "SCMP_CMP_EQ")))));
        case "FAIL_ENOSYS" -> conditional.add(new RuntimeSpec.Syscall(name, "SCMP_ACT_ERRNO", ENOSYS, List.of()));
        case "FAIL_EPERM" -> { } // The default action.
        default -> throw new IllegalStateException("unknown seccomp rule kind " + rule.kind());
      }
    }
    List<RuntimeSpec.Syscall> syscalls = new ArrayList<>();
    syscalls.add(new RuntimeSpec.Syscall(allowed, "SCMP_ACT_ALLOW", null, List.of()));
    syscalls.addAll(conditional);
    return new RuntimeSpec.Seccomp("SCMP_ACT_ERRNO", EPERM, architectures(osArch), syscalls);
  }

  /** The native architecture first, then the compat ABIs Docker also filters. */
  static List<String> architectures(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
      case "aarch64", "arm64" -> List.of("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
      default -> List.of();
    };
  }
}
