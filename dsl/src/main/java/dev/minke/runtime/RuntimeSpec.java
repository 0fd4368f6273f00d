package dev.minke.runtime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * An OCI runtime-spec {@code config.json} (opencontainers/runtime-spec config.md and
 * config-linux.md): the subset Minke writes and reads. It is the contract between Minke and
 * every runtime backend, and a value a notebook can print.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RuntimeSpec(
    String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux,
    Map<String, String> annotations) {

  /** The runtime-spec version these documents follow. */
  public static final String OCI_VERSION = "1.0.2";

  /**
   * Annotation {@code dev.minke.init=true}: run a small init as PID 1 that reaps and forwards
   * signals, like {@code docker run --init} (minke-init's {@code init=1}).
   */
  public static final String INIT_ANNOTATION = "dev.minke.init";

  /** The {@code config.json} text, indented: what a notebook cell shows. */
  @Override
  public String toString() {
    return dev.minke.image.Json.pretty(this);
  }

  public RuntimeSpec {
    mounts = mounts == null ? List.of() : List.copyOf(mounts);
    annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
  }

  /** A spec without annotations. */
  public RuntimeSpec(String ociVersion, Process process, Root root, String hostname, List<Mount> mounts, Linux linux) {
    this(ociVersion, process, root, hostname, mounts, linux, Map.of());
  }

  /** This spec with {@code extra} mounted after its own mounts (volumes, binds, tmpfs). */
  public RuntimeSpec withExtraMounts(List<Mount> extra) {
    List<Mount> all = new java.util.ArrayList<>(mounts);
    all.addAll(extra);
    return new RuntimeSpec(ociVersion, process, root, hostname, all, linux, annotations);
  }

  /** Whether the container gets an init as PID 1 ({@link #INIT_ANNOTATION}). */
  public boolean hasInit() {
    return "true".equals(annotations.get(INIT_ANNOTATION));
  }

  /** What to run and as whom. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Process(
      boolean terminal,
      User user,
      List<String> args,
      List<String> env,
      String cwd,
      Capabilities capabilities,
      List<Rlimit> rlimits,
      boolean noNewPrivileges) {
    public Process {
      args = args == null ? List.of() : List.copyOf(args);
      env = env == null ? List.of() : List.copyOf(env);
      rlimits = rlimits == null ? List.of() : List.copyOf(rlimits);
    }
  }

  /** Numeric user, group and extra groups of the process. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record User(long uid, long gid, @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Long> additionalGids) {
    public User {
      additionalGids = additionalGids == null ? List.of() : List.copyOf(additionalGids);
    }
  }

  /** The five capability sets, by name ({@code CAP_CHOWN}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Capabilities(
      List<String> bounding, List<String> effective, List<String> inheritable, List<String> permitted,
      List<String> ambient) {}

  /** One resource limit, e.g. {@code RLIMIT_NOFILE} soft 1024 hard 1024. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Rlimit(String type, long soft, long hard) {}

  /** The container's root filesystem directory, relative to the bundle or absolute. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Root(String path, boolean readonly) {}

  /** A filesystem mounted into the container. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Mount(String destination, String type, String source, List<String> options) {
    public Mount {
      options = options == null ? List.of() : List.copyOf(options);
    }
  }

  /** Linux-specific settings: namespaces, ID maps, resources, masked paths. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Linux(
      List<Namespace> namespaces,
      List<IdMapping> uidMappings,
      List<IdMapping> gidMappings,
      Resources resources,
      String cgroupsPath,
      List<String> maskedPaths,
      List<String> readonlyPaths,
      String rootfsPropagation,
      Map<String, String> sysctl,
      Seccomp seccomp) {
    public Linux {
      namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
      uidMappings = uidMappings == null ? List.of() : List.copyOf(uidMappings);
      gidMappings = gidMappings == null ? List.of() : List.copyOf(gidMappings);
      maskedPaths = maskedPaths == null ? List.of() : List.copyOf(maskedPaths);
      readonlyPaths = readonlyPaths == null ? List.of() : List.copyOf(readonlyPaths);
      sysctl = sysctl == null ? Map.of() : Map.copyOf(sysctl);
    }
  }

  /**
   * A seccomp filter (config-linux.md "Seccomp"): the default action, the architectures it
   * covers, and the rules for named system calls.
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
      List<Syscall> syscalls) {
    public Seccomp {
      architectures = architectures == null ? List.of() : List.copyOf(architectures);
      syscalls = syscalls == null ? List.of() : List.copyOf(syscalls);
    }
  }

  /** What happens for some system calls, optionally only when their arguments match. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Syscall(List<String> names, String action, Integer errnoRet, List<SyscallArg> args) {
    public Syscall {
      names = names == null ? List.of() : List.copyOf(names);
      args = args == null ? List.of() : List.copyOf(args);
    }
  }

  /** A condition on one argument: {@code op} is {@code SCMP_CMP_EQ}, {@code SCMP_CMP_MASKED_EQ}, … */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SyscallArg(int index, long value, Long valueTwo, String op) {}

  /** A namespace to create ({@code pid}, {@code network}, {@code mount}, …). */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Namespace(String type, String path) {
    public static Namespace of(String type) {
      return new Namespace(type, null);
    }
  }

  /** A user-namespace ID range: container IDs from {@code containerID} map to host IDs from {@code hostID}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record IdMapping(long containerID, long hostID, long size) {}

  /** cgroup limits; null parts are unlimited. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resources(Memory memory, Cpu cpu, Pids pids) {}

  /** Memory limit in bytes. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Memory(Long limit) {}

  /** CPU bandwidth: {@code quota} microseconds per {@code period}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Cpu(Long quota, Long period) {}

  /** Maximum number of processes. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Pids(long limit) {}
}
