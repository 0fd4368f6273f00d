package dev.minke.build;

import dev.minke.image.ContainerConfig;
import dev.minke.image.Digest;
import dev.minke.image.EntryContent;
import dev.minke.image.LayerEntry;
import dev.minke.os.Interrupts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The named inputs each kind of step keys on (see {@code build.cache.MissReasons} for the
 * names). The key is a function of these maps alone, so whatever a step reads must be here.
 */
final class StepInputs {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");

  private StepInputs() {}

  /**
   * A config step (and ARG): its text as written, the text with variables replaced, and the
   * values of the build args it reads. An ARG's own value is not an input: as in BuildKit, a
   * changed value misses at its first use, not at its definition.
   */
  static SortedMap<String, String> config(String rawText, String expandedText, Map<String, String> args,
      ContainerConfig config) {
    SortedMap<String, String> inputs = new TreeMap<>();
    inputs.put("text", rawText);
    inputs.put("expanded", expandedText);
    inputs.putAll(argsUsed(rawText, args, config));
    return inputs;
  }

  /**
   * COPY: the instruction, the build args it reads, and for every entry of its layer the content
   * digest, mode and owner (after {@code --chown}/{@code --chmod}) but not the mtime, named by
   * its path in the context (or in the image, for directories the copy creates).
   */
  static SortedMap<String, String> copy(String rawText, String expandedText, Map<String, String> args,
      ContainerConfig config, List<LayerEntry> entries, Path contextDir) throws IOException {
    SortedMap<String, String> inputs = config(rawText, expandedText, args, config);
    for (LayerEntry e : entries) {
      Interrupts.checkpoint("hashing the files of " + expandedText);
      String label = "/" + e.path();
      if (e.content() instanceof EntryContent.FromPath fromPath && fromPath.file().startsWith(contextDir)) {
        label = contextDir.relativize(fromPath.file()).toString();
      }
      inputs.put("file:" + label, describe(e));
    }
    return inputs;
  }

  /**
   * RUN: the command, the shell for shell form, the full argv, the environment (ENV), every build
   * arg in scope (RUN sees them all as environment variables), workdir, user, network and
   * the mount specs.
   */
  static SortedMap<String, String> run(RunInput input) {
    SortedMap<String, String> inputs = new TreeMap<>();
    inputs.put("text", input.text());
    inputs.put("command", input.command());
    if (input.shell() != null) {
      inputs.put("shell", String.join(" ", input.shell()));
    }
    inputs.put("argv", json(input.argv()));
    input.env().forEach((k, v) -> inputs.put("env:" + k, v));
    input.buildArgs().forEach((k, v) -> inputs.put("arg:" + k, v));
    inputs.put("workdir", input.workdir());
    inputs.put("user", input.user());
    inputs.put("network", input.network());
    // As BuildKit: a mount's spec (type, id, target, sharing) is an input, its content is not.
    input.mounts().forEach(m -> inputs.put("mount:" + m.target(), m.text()));
    return inputs;
  }

  private static Map<String, String> argsUsed(String rawText, Map<String, String> args, ContainerConfig config) {
    Map<String, String> used = new TreeMap<>();
    Matcher m = VARIABLE.matcher(rawText);
    while (m.find()) {
      String name = m.group(1);
      if (args.containsKey(name) && config.envValue(name) == null) {
        used.put("arg:" + name, args.get(name));
      }
    }
    return used;
  }

  private static String describe(LayerEntry e) throws IOException {
    String what = switch (e.type()) {
      case FILE -> contentDigest(e).toString();
      case DIRECTORY -> "dir";
      case SYMLINK -> "symlink:" + e.linkTarget();
      case HARDLINK -> "hardlink:" + e.linkTarget();
      default -> e.type().name().toLowerCase(java.util.Locale.ROOT);
    };
    return what + " " + String.format("%04o", e.mode()) + " " + e.uid() + ":" + e.gid();
  }

  private static Digest contentDigest(LayerEntry e) throws IOException {
    MessageDigest sha = Digest.newSha256();
    try (InputStream in = e.content().open()) {
      byte[] buffer = new byte[65536];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha.update(buffer, 0, n);
      }
    }
    return Digest.ofSha256(sha.digest());
  }

  static String json(List<String> values) {
    return values.stream()
        .map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(",", "[", "]"));
  }
}
