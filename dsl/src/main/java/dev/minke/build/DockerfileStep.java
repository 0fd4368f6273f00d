package dev.minke.build;

import dev.minke.build.dockerfile.Heredoc;
import dev.minke.build.dockerfile.Instruction;
import java.util.List;
import java.util.Optional;

/**
 * One instruction of a Dockerfile stage, translated: either a {@link Step} the engine runs
 * today, or a faithful record of an instruction it cannot run yet (RUN, COPY --from, ADD …) so
 * that a later engine can. Every variant keeps the parsed {@link Instruction} it came from.
 */
public sealed interface DockerfileStep {
  /** The instruction as parsed, with its line numbers. */
  Instruction source();

  /** The engine's own step: a {@link CopyStep} or a {@link ConfigStep}. */
  record Supported(Step step, Instruction source) implements DockerfileStep {}

  /**
   * RUN: the command as exec argv ({@code execForm}) or one shell line to run with {@code shell};
   * {@code mounts}, {@code network} and {@code security} are the {@code --mount}, {@code
   * --network} and {@code --security} flags; here-documents as parsed.
   */
  record Run(List<String> command, boolean execForm, List<String> shell, List<String> mounts,
      Optional<String> network, Optional<String> security, List<Heredoc> heredocs,
      Instruction source) implements DockerfileStep {
    public Run {
      command = List.copyOf(command);
      shell = List.copyOf(shell);
      mounts = List.copyOf(mounts);
      heredocs = List.copyOf(heredocs);
    }
  }

  /** COPY --from: copy out of an earlier stage (by name or index) or out of an image. */
  record CopyFrom(String from, CopyStep copy, Instruction source) implements DockerfileStep {}

  /**
   * ADD: like COPY, but sources may be URLs or git repositories, and local tar archives are
   * unpacked. {@code flags} are as written ({@code --checksum}, {@code --keep-git-dir} …).
   */
  record Add(List<String> sources, String destination, List<String> flags,
      List<Heredoc> heredocs, Instruction source) implements DockerfileStep {
    public Add {
      sources = List.copyOf(sources);
      flags = List.copyOf(flags);
      heredocs = List.copyOf(heredocs);
    }
  }

  /** An instruction with no model yet (ONBUILD, MAINTAINER, COPY --link …), and why. */
  record Unsupported(String reason, Instruction source) implements DockerfileStep {}
}
