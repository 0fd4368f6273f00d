package dev.minke.cli;

import dev.minke.dsl.Image;
import dev.minke.registry.Reference;
import dev.minke.runtime.Containers;
import dev.minke.runtime.MountSpec;
import dev.minke.runtime.OutputListener;
import dev.minke.runtime.RunOptions;
import dev.minke.runtime.RunResult;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code minke run [OPTIONS] IMAGE [CMD...]}: runs a command in a new container, attached, with
 * Docker's flags; the exit code is the container's.
 */
final class RunCommand implements Command {
  private static final List<String> VALUED = List.of("--name", "--hostname", "-h", "-e", "--env", "-w",
      "--workdir", "-u", "--user", "-m", "--memory", "--cpus", "--pids-limit", "-v", "--volume", "--mount", "--tmpfs",
      "-p", "--publish", "--network", "--net");
  private static final List<String> FLAGS = List.of("--rm", "--read-only", "--init", "-d", "--detach");

  @Override
  public String usage() {
    return "run [-d] [--rm] [--name N] [--hostname H] [-e K=V] [-w DIR] [-u USER] [--memory M] [--cpus N]"
        + " [--pids-limit N] [--read-only] [--init] [-v SRC:DST[:ro]] [--mount type=…,source=…,target=…]"
        + " [--tmpfs DST[:OPTS]] [--network bridge|none|host|NAME] [-p [IP:]HOST:CTR[/udp]] IMAGE [CMD...]";
  }

  @Override
  public String summary() {
    return "Run a command in a new container";
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    // Options stop at the image name: what follows is the container's command, flags and all.
    List<String> options = new ArrayList<>();
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String arg = args.get(i++);
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0 && VALUED.contains(arg.substring(0, eq))) {
        options.add(arg.substring(0, eq)); // --mount=type=bind,... as well as --mount type=bind,...
        options.add(arg.substring(eq + 1));
        continue;
      }
      options.add(arg);
      if (VALUED.contains(arg) && i < args.size()) {
        options.add(args.get(i++));
      }
    }
    if (i >= args.size()) {
      throw new UsageException("name an image to run");
    }
    String imageName = args.get(i);
    List<String> command = args.subList(i + 1, args.size());
    RunOptions runOptions = RunOptions.defaults().withCommand(command);
    String name = null;
    boolean remove = false;
    boolean detach = false;
    for (int k = 0; k < options.size(); k++) {
      String option = options.get(k);
      if (FLAGS.contains(option)) {
        remove |= option.equals("--rm");
        detach |= option.equals("-d") || option.equals("--detach");
        runOptions = option.equals("--init") ? runOptions.withInit(true) : runOptions;
        runOptions = option.equals("--read-only") ? runOptions.withReadOnlyRoot(true) : runOptions;
        continue;
      }
      if (!VALUED.contains(option) || k + 1 >= options.size()) {
        throw new UsageException("unknown option " + option);
      }
      String value = options.get(++k);
      switch (option) {
        case "--name" -> name = value;
        case "--hostname", "-h" -> runOptions = runOptions.withHostname(value);
        case "-e", "--env" -> runOptions = env(runOptions, value);
        case "-w", "--workdir" -> runOptions = runOptions.withWorkdir(value);
        case "-u", "--user" -> runOptions = runOptions.withUser(value);
        case "-m", "--memory" -> runOptions = runOptions.withMemoryBytes(bytes(value));
        case "--cpus" -> runOptions = runOptions.withCpus(Double.parseDouble(value));
        case "--pids-limit" -> runOptions = runOptions.withPidsLimit(Long.parseLong(value));
        case "-v", "--volume", "--mount", "--tmpfs" -> runOptions = mount(runOptions, option, value);
        case "--network", "--net" -> runOptions = runOptions.withNetwork(value);
        case "-p", "--publish" -> runOptions = publish(runOptions, value);
        default -> throw new UsageException("unknown option " + option);
      }
    }
    Store store = Store.openDefault();
    Image image = Image.lookup(store, Reference.parse(imageName));
    Containers containers = new Containers(store);
    var record = containers.create(image.manifestDescriptor(), imageName, runOptions, name);
    if (detach) {
      if (remove) {
        throw new UsageException("--rm with -d is not supported yet: remove the container with `minke rm`");
      }
      containers.startDetached(record.id());
      out.println(record.id());
      return 0;
    }
    try {
      RunResult result = containers.start(record.id(), new Forward(out, System.err));
      return result.exitCode();
    } finally {
      if (remove) {
        containers.remove(record.id());
      }
    }
  }

  /** {@code -v}, {@code --mount} or {@code --tmpfs}; a malformed value is a usage error. */
  private static RunOptions mount(RunOptions options, String option, String value) throws UsageException {
    try {
      return switch (option) {
        case "--mount" -> options.withMount(value);
        case "--tmpfs" -> options.withMount(MountSpec.parseTmpfsFlag(value));
        default -> options.withVolume(value);
      };
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + " " + value + ": " + e.getMessage());
    }
  }

  /** {@code -e NAME=value}, or {@code -e NAME} to pass this process's value, as Docker does. */
  private static RunOptions env(RunOptions options, String value) {
    int eq = value.indexOf('=');
    if (eq > 0) {
      return options.withEnv(value.substring(0, eq), value.substring(eq + 1));
    }
    String inherited = System.getenv(value);
    return inherited == null ? options : options.withEnv(value, inherited);
  }

  /** Docker's memory sizes: a number with an optional b, k, m or g suffix. */
  static long bytes(String size) throws UsageException {
    String s = size.trim().toLowerCase(Locale.ROOT);
    long unit = switch (s.isEmpty() ? ' ' : s.charAt(s.length() - 1)) {
      case 'k' -> 1024L;
      case 'm' -> 1024L * 1024;
      case 'g' -> 1024L * 1024 * 1024;
      case 'b' -> 1L;
      default -> 0L;
    };
    try {
      return unit == 0 ? Long.parseLong(s) : Long.parseLong(s.substring(0, s.length() - 1)) * unit;
    } catch (NumberFormatException e) {
      throw new UsageException("invalid memory size \"" + size + "\": use a number with b, k, m or g, e.g. 64m");
    }
  }

  /** Copies the container's output to this process's streams as it is written. */
  private record Forward(PrintStream out, PrintStream err) implements OutputListener {
    @Override
    public void stdout(byte[] chunk, int length) {
      out.write(chunk, 0, length);
      out.flush();
    }

    @Override
    public void stderr(byte[] chunk, int length) {
      err.write(chunk, 0, length);
      err.flush();
    }
  }

  private static RunOptions publish(RunOptions options, String mapping) throws UsageException {
    try {
      return options.withPublish(mapping);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
