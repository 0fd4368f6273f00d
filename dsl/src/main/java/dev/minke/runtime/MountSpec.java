package dev.minke.runtime;

import dev.minke.store.VolumeStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One mount a run asks for, as Docker's {@code -v}, {@code --mount} and {@code --tmpfs} flags
 * say it, before anything on the host is looked at: a bind of a host path, a named or anonymous
 * volume, or a tmpfs. {@link Containers#create} turns it into a {@code config.json} mount.
 *
 * @param source the host path of a bind (absolute, as given), the name of a volume (null: a new
 *     anonymous one), null for a tmpfs
 * @param target the absolute, cleaned path in the container
 * @param propagation of a bind: {@code rprivate} (Docker's default), {@code private}, {@code
 *     [r]shared} or {@code [r]slave}; null otherwise
 * @param tmpfsOptions mount options of a tmpfs ({@code size=64m}, {@code mode=1777}, {@code exec})
 * @param createHostPath whether a missing bind source is created as a directory ({@code -v}) or
 *     is an error ({@code --mount})
 * @param noCopy whether an empty volume stays empty instead of getting the image's files
 */
public record MountSpec(Type type, String source, String target, boolean readOnly, String propagation,
    List<String> tmpfsOptions, boolean createHostPath, boolean noCopy) {

  /** What is mounted. */
  public enum Type {
    BIND,
    VOLUME,
    TMPFS
  }

  /** The /proc files a bind may cover: what lxcfs provides, as runc allows. */
  private static final List<String> PROC_FILES_ALLOWED = List.of("/proc/cpuinfo", "/proc/diskstats",
      "/proc/loadavg", "/proc/meminfo", "/proc/slabinfo", "/proc/stat", "/proc/swaps", "/proc/uptime");

  private static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
  /** SELinux labels and macOS consistency modes: accepted and ignored, as Docker on Linux does. */
  private static final Set<String> IGNORED_MODES = Set.of("z", "Z", "consistent", "cached", "delegated");

  public MountSpec {
    if (type == null) {
      throw new IllegalArgumentException("a mount needs a type: bind, volume or tmpfs");
    }
    target = cleanTarget(target);
    tmpfsOptions = tmpfsOptions == null ? List.of() : List.copyOf(tmpfsOptions);
    switch (type) {
      case BIND -> {
        if (source == null || !source.startsWith("/")) {
          throw new IllegalArgumentException("bind mount on " + target + ": the host path \"" + source
              + "\" must be absolute, e.g. /home/me/data");
        }
        propagation = propagation == null ? "rprivate" : propagation;
        if (!PROPAGATIONS.contains(propagation)) {
          throw new IllegalArgumentException("bind mount on " + target + ": propagation \"" + propagation
              + "\" is not one of " + String.join(", ", new java.util.TreeSet<>(PROPAGATIONS)));
        }
      }
      case VOLUME -> {
        if (source != null && !VolumeStore.isValidName(source)) {
          throw new IllegalArgumentException("\"" + source + "\" includes invalid characters for a local volume name:"
              + " use [a-zA-Z0-9][a-zA-Z0-9_.-]; for a host directory give an absolute path");
        }
        requireNone(propagation, "propagation", "bind");
      }
      case TMPFS -> {
        if (source != null && !source.isEmpty()) {
          throw new IllegalArgumentException("tmpfs mount on " + target + " cannot have a source (\"" + source + "\")");
        }
        source = null;
        requireNone(propagation, "propagation", "bind");
        for (String option : tmpfsOptions) {
          if (option.isEmpty() || option.contains("|") || option.contains(",")) {
            throw new IllegalArgumentException("tmpfs mount on " + target + ": invalid option \"" + option + "\"");
          }
        }
      }
    }
    if (type != Type.TMPFS && !tmpfsOptions.isEmpty()) {
      throw new IllegalArgumentException("tmpfs options " + tmpfsOptions + " given for a " + type.name().toLowerCase(
          Locale.ROOT) + " mount on " + target);
    }
    if (source != null && source.contains("|")) {
      throw new IllegalArgumentException("mount source \"" + source + "\" contains `|`, which minke-init cannot take");
    }
  }

  /** A bind of a host file or directory, which must exist ({@code --mount type=bind}). */
  public static MountSpec bind(Path hostPath, String target, boolean readOnly) {
    return new MountSpec(Type.BIND, hostPath.toAbsolutePath().toString(), target, readOnly, null, null, false, false);
  }

  /** A named volume, created on first use; an empty one gets the image's files at {@code target}. */
  public static MountSpec volume(String name, String target, boolean readOnly) {
    return new MountSpec(Type.VOLUME, name, target, readOnly, null, null, false, false);
  }

  /** A new anonymous volume ({@code -v /path}). */
  public static MountSpec anonymousVolume(String target) {
    return new MountSpec(Type.VOLUME, null, target, false, null, null, false, false);
  }

  /** {@code --tmpfs /run:size=64m,mode=1777}: options comma-separated, empty for none. */
  public static MountSpec tmpfs(String target, String options) {
    List<String> list = new ArrayList<>();
    if (options != null && !options.isEmpty()) {
      list.addAll(List.of(options.split(",", -1)));
    }
    boolean readOnly = list.remove("ro");
    return new MountSpec(Type.TMPFS, null, target, readOnly, null, list, false, false);
  }

  /** {@code --tmpfs PATH[:OPTIONS]}. */
  public static MountSpec parseTmpfsFlag(String spec) {
    int colon = spec.indexOf(':');
    return colon < 0 ? tmpfs(spec, "") : tmpfs(spec.substring(0, colon), spec.substring(colon + 1));
  }

  /**
   * Docker's {@code -v} syntax: {@code /path} (an anonymous volume), {@code name:/path[:MODE]} (a
   * named volume) or {@code /host:/path[:MODE]} (a bind; a missing host directory is created, as
   * Docker does). MODE is comma-separated: {@code ro}, {@code rw}, {@code nocopy}, a propagation.
   * A host path starting with {@code .} is taken relative to the working directory.
   */
  public static MountSpec parseVolumeFlag(String spec) {
    String[] parts = spec.split(":", -1);
    if (parts.length == 1) {
      return anonymousVolume(spec);
    }
    if (parts.length > 3 || parts[0].isEmpty()) {
      throw new IllegalArgumentException("invalid volume specification \"" + spec
          + "\": use /path, name:/path[:ro] or /host/path:/path[:ro]");
    }
    boolean readOnly = false;
    boolean noCopy = false;
    String propagation = null;
    if (parts.length == 3) {
      for (String mode : parts[2].split(",", -1)) {
        if (mode.equals("ro") || mode.equals("rw")) {
          readOnly = mode.equals("ro");
        } else if (mode.equals("nocopy")) {
          noCopy = true;
        } else if (PROPAGATIONS.contains(mode)) {
          propagation = mode;
        } else if (!IGNORED_MODES.contains(mode)) {
          throw new IllegalArgumentException("invalid mode \"" + mode + "\" in volume specification \"" + spec
              + "\": use ro, rw, nocopy or a propagation (rprivate, rshared, rslave…)");
        }
      }
    }
    String source = parts[0];
    if (isHostPath(source)) {
      if (noCopy) {
        throw new IllegalArgumentException("nocopy applies to volumes, not to the bind of " + source);
      }
      return new MountSpec(Type.BIND, absoluteHostPath(source), parts[1], readOnly, propagation, null, true, false);
    }
    return new MountSpec(Type.VOLUME, source, parts[1], readOnly, propagation, null, false, noCopy);
  }

  /**
   * Docker's {@code --mount} syntax: comma-separated {@code key=value}s, {@code type} (bind,
   * volume (the default) or tmpfs), {@code source}/{@code src}, {@code target}/{@code
   * destination}/{@code dst}, {@code readonly}/{@code ro}, {@code bind-propagation}, {@code
   * volume-nocopy}, {@code tmpfs-size}, {@code tmpfs-mode}. A bind's host path must exist.
   */
  public static MountSpec parseMountFlag(String spec) {
    String type = "volume";
    String source = null;
    String target = null;
    boolean readOnly = false;
    boolean noCopy = false;
    String propagation = null;
    List<String> tmpfs = new ArrayList<>();
    for (String field : spec.split(",", -1)) {
      int eq = field.indexOf('=');
      String key = (eq < 0 ? field : field.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
      String value = eq < 0 ? null : field.substring(eq + 1);
      switch (key) {
        case "type" -> type = required(key, value, spec);
        case "source", "src" -> source = required(key, value, spec);
        case "target", "destination", "dst" -> target = required(key, value, spec);
        case "readonly", "ro" -> readOnly = bool(key, value, spec);
        case "volume-nocopy" -> noCopy = bool(key, value, spec);
        case "bind-propagation" -> propagation = required(key, value, spec);
        case "tmpfs-size" -> tmpfs.add("size=" + required(key, value, spec));
        case "tmpfs-mode" -> tmpfs.add("mode=" + required(key, value, spec));
        case "consistency" -> required(key, value, spec);
        default -> throw new IllegalArgumentException("unexpected key \"" + key + "\" in mount specification \""
            + spec + "\"");
      }
    }
    if (target == null) {
      throw new IllegalArgumentException("mount specification \"" + spec + "\" has no target, e.g. target=/data");
    }
    switch (type) {
      case "bind" -> {
        if (source == null) {
          throw new IllegalArgumentException("bind mount on " + target + " has no source: give source=/host/path");
        }
        if (noCopy) {
          throw new IllegalArgumentException("volume-nocopy applies to volumes, not to the bind of " + source);
        }
        return new MountSpec(Type.BIND, absoluteHostPath(source), target, readOnly, propagation, tmpfs, false, false);
      }
      case "volume" -> {
        return new MountSpec(Type.VOLUME, source, target, readOnly, propagation, tmpfs, false, noCopy);
      }
      case "tmpfs" -> {
        return new MountSpec(Type.TMPFS, source, target, readOnly, propagation, tmpfs, false, false);
      }
      default -> throw new IllegalArgumentException("mount type \"" + type + "\" is not bind, volume or tmpfs");
    }
  }

  /** The {@code config.json} options: Docker's {@code rbind}, propagation, {@code ro}; tmpfs's own. */
  List<String> specOptions() {
    List<String> options = new ArrayList<>();
    if (type == Type.TMPFS) {
      // Docker's defaults for --tmpfs; the user's options come after and win (exec, suid…).
      options.addAll(List.of("nosuid", "nodev", "noexec"));
      options.addAll(tmpfsOptions);
    } else {
      options.add("rbind");
      options.add(propagation == null ? "rprivate" : propagation);
    }
    options.add(readOnly ? "ro" : "rw");
    return options;
  }

  private static boolean isHostPath(String source) {
    return source.startsWith("/") || source.startsWith(".");
  }

  private static String absoluteHostPath(String source) {
    return Path.of(source).toAbsolutePath().normalize().toString();
  }

  private static String cleanTarget(String target) {
    if (target == null || !target.startsWith("/")) {
      throw new IllegalArgumentException("mount target \"" + target + "\" must be an absolute path in the container,"
          + " e.g. /data");
    }
    String clean = Path.of(target).normalize().toString();
    if (clean.equals("/")) {
      throw new IllegalArgumentException("mount target cannot be /: the container's root is its image");
    }
    if (clean.contains("|")) {
      throw new IllegalArgumentException("mount target \"" + target + "\" contains `|`, which minke-init cannot take");
    }
    if ((clean.equals("/proc") || clean.startsWith("/proc/")) && !PROC_FILES_ALLOWED.contains(clean)) {
      // A mount over /proc could hide the runtime's masks or read-only /proc/sys (runc refuses
      // these too, CVE-2019-19921); the files lxcfs serves stay allowed.
      throw new IllegalArgumentException("mount target " + clean + " is inside /proc, which the runtime owns;"
          + " mount elsewhere, e.g. /data (allowed under /proc: " + String.join(", ", PROC_FILES_ALLOWED) + ")");
    }
    return clean;
  }

  private static void requireNone(String value, String what, String only) {
    if (value != null) {
      throw new IllegalArgumentException(what + " \"" + value + "\" applies to " + only + " mounts only");
    }
  }

  private static String required(String key, String value, String spec) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("\"" + key + "\" needs a value in mount specification \"" + spec + "\"");
    }
    return value;
  }

  private static boolean bool(String key, String value, String spec) {
    if (value == null) {
      return true;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "1", "true" -> true;
      case "0", "false" -> false;
      default -> throw new IllegalArgumentException("\"" + key + "=" + value + "\" in mount specification \"" + spec
          + "\" is not true or false");
    };
  }
}
