package dev.minke.cli;

import dev.minke.image.Descriptor;
import dev.minke.registry.Reference;
import dev.minke.runtime.ContainerRecord;
import dev.minke.runtime.Containers;
import dev.minke.runtime.ExecOptions;
import dev.minke.runtime.OutputListener;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The container verbs that act on an existing container: ps, exec, logs, wait, stop, kill, rm, diff, commit. */
final class ContainerCommands {
  private ContainerCommands() {}

  private static Containers containers() {
    return new Containers(Store.openDefault());
  }

  /** {@code minke ps [-a]}. */
  static final class Ps implements Command {
    @Override
    public String usage() {
      return "ps [-a]";
    }

    @Override
    public String summary() {
      return "List running containers (-a: all)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args parsed = Args.parse(args, List.of(), List.of("-a", "--all"));
      parsed.positional(0);
      List<List<String>> rows = new ArrayList<>();
      for (ContainerRecord c : containers().list(parsed.flag("-a") || parsed.flag("--all"))) {
        String status = switch (c.state()) {
          case CREATED -> "Created";
          case RUNNING -> "Up";
          case EXITED -> "Exited (" + c.exitCode() + ")" + (c.oomKilled() ? " OOM killed" : "");
        };
        rows.add(List.of(c.shortId(), c.image(), dev.minke.dsl.Texts.clipCommand(String.join(" ", c.command())),
            status, c.name()));
      }
      out.print(dev.minke.dsl.Texts.table(List.of("CONTAINER ID", "IMAGE", "COMMAND", "STATUS", "NAMES"), rows));
      return 0;
    }
  }

  /** {@code minke exec CONTAINER CMD...}. */
  static final class Exec implements Command {
    @Override
    public String usage() {
      return "exec [-e K=V] [-w DIR] [-u USER] CONTAINER CMD...";
    }

    @Override
    public String summary() {
      return "Run a command in a running container";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      int i = 0;
      List<String[]> env = new ArrayList<>();
      String workdir = null;
      String user = null;
      while (i < args.size() && args.get(i).startsWith("-")) {
        String option = args.get(i++);
        if (i >= args.size()) {
          throw new UsageException(option + " needs a value");
        }
        String value = args.get(i++);
        switch (option) {
          case "-e", "--env" -> env.add(value.split("=", 2));
          case "-w", "--workdir" -> workdir = value;
          case "-u", "--user" -> user = value;
          default -> throw new UsageException("unknown option " + option);
        }
      }
      if (args.size() - i < 2) {
        throw new UsageException("name a container and a command");
      }
      ExecOptions options = ExecOptions.of(args.subList(i + 1, args.size()));
      for (String[] pair : env) {
        options = options.withEnv(pair[0], pair.length > 1 ? pair[1] : "");
      }
      options = workdir == null ? options : options.withWorkdir(workdir);
      options = user == null ? options : options.withUser(user);
      return containers().exec(args.get(i), options, new Forward(out)).exitCode();
    }
  }

  /** {@code minke logs CONTAINER}. */
  static final class Logs implements Command {
    @Override
    public String usage() {
      return "logs CONTAINER";
    }

    @Override
    public String summary() {
      return "Print what a container wrote";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      var logs = containers().logs(Args.parse(args, List.of(), List.of()).positional(1).get(0));
      out.print(logs.stdout());
      System.err.print(logs.stderr());
      return 0;
    }
  }

  /** {@code minke wait CONTAINER}: prints the exit code. */
  static final class Wait implements Command {
    @Override
    public String usage() {
      return "wait CONTAINER";
    }

    @Override
    public String summary() {
      return "Wait for a container to end and print its exit code";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      out.println(containers().wait(Args.parse(args, List.of(), List.of()).positional(1).get(0)));
      return 0;
    }
  }

  /** {@code minke stop [-t SECONDS] CONTAINER...}. */
  static final class Stop implements Command {
    @Override
    public String usage() {
      return "stop [-t SECONDS] CONTAINER...";
    }

    @Override
    public String summary() {
      return "Stop containers: SIGTERM, then SIGKILL after the grace period";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args parsed = Args.parse(args, List.of("-t", "--time"), List.of());
      Duration grace = Duration.ofSeconds(Long.parseLong(parsed.option("-t", parsed.option("--time", "10"))));
      for (String name : parsed.atLeastOne("container")) {
        containers().stop(name, grace);
        out.println(name);
      }
      return 0;
    }
  }

  /** {@code minke kill [-s SIGNAL] CONTAINER...}. */
  static final class Kill implements Command {
    @Override
    public String usage() {
      return "kill [-s SIGNAL] CONTAINER...";
    }

    @Override
    public String summary() {
      return "Send a signal to containers (default KILL)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args parsed = Args.parse(args, List.of("-s", "--signal"), List.of());
      int signal = SignalNames.parse(parsed.option("-s", parsed.option("--signal", "KILL")));
      for (String name : parsed.atLeastOne("container")) {
        containers().kill(name, signal);
        out.println(name);
      }
      return 0;
    }
  }

  /** {@code minke rm [-f] CONTAINER...}. */
  static final class Rm implements Command {
    @Override
    public String usage() {
      return "rm [-f] [-v] CONTAINER...";
    }

    @Override
    public String summary() {
      return "Remove containers (-f: kill running ones first; -v: and their anonymous volumes)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args parsed = Args.parse(args, List.of(), List.of("-f", "--force", "-v", "--volumes"));
      for (String name : parsed.atLeastOne("container")) {
        containers().remove(name, parsed.flag("-f") || parsed.flag("--force"),
            parsed.flag("-v") || parsed.flag("--volumes"));
        out.println(name);
      }
      return 0;
    }
  }

  /** {@code minke diff CONTAINER}. */
  static final class Diff implements Command {
    @Override
    public String usage() {
      return "diff CONTAINER";
    }

    @Override
    public String summary() {
      return "List what a container added (A), changed (C) and deleted (D)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      containers().diff(Args.parse(args, List.of(), List.of()).positional(1).get(0)).forEach(out::println);
      return 0;
    }
  }

  /** {@code minke commit [-m MESSAGE] CONTAINER REF}. */
  static final class Commit implements Command {
    @Override
    public String usage() {
      return "commit [-m MESSAGE] CONTAINER REF";
    }

    @Override
    public String summary() {
      return "Make an image from a container's changes";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args parsed = Args.parse(args, List.of("-m", "--message"), List.of());
      List<String> values = parsed.positional(2);
      Descriptor image = containers().commit(values.get(0), Reference.parse(values.get(1)),
          parsed.option("-m", parsed.option("--message")));
      out.println(image.digest());
      return 0;
    }
  }

  /** Copies output to the given stream and this process's stderr as it is written. */
  record Forward(PrintStream out) implements OutputListener {
    @Override
    public void stdout(byte[] chunk, int length) {
      out.write(chunk, 0, length);
      out.flush();
    }

    @Override
    public void stderr(byte[] chunk, int length) {
      System.err.write(chunk, 0, length);
      System.err.flush();
    }
  }
}
