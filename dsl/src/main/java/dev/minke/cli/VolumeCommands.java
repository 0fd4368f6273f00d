package dev.minke.cli;

import dev.minke.dsl.Texts;
import dev.minke.image.Json;
import dev.minke.runtime.VolumeInfo;
import dev.minke.runtime.Volumes;
import dev.minke.store.Store;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code minke volume create|ls|inspect|rm|prune}: volumes with a life of their own. */
final class VolumeCommands {
  private VolumeCommands() {}

  private static Volumes volumes() {
    return new Volumes(Store.openDefault());
  }

  /** {@code minke volume create [NAME]}. */
  static final class Create implements Command {
    @Override
    public String usage() {
      return "volume create [NAME]";
    }

    @Override
    public String summary() {
      return "Create a volume (a random name when none is given)";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      List<String> names = Args.parse(args, List.of(), List.of()).positional();
      if (names.size() > 1) {
        throw new UsageException("expected at most one name, got " + names.size());
      }
      try {
        out.println((names.isEmpty() ? volumes().create() : volumes().create(names.get(0))).name());
      } catch (IllegalArgumentException e) {
        throw new UsageException(e.getMessage());
      }
      return 0;
    }
  }

  /** {@code minke volume ls}. */
  static final class Ls implements Command {
    @Override
    public String usage() {
      return "volume ls";
    }

    @Override
    public String summary() {
      return "List volumes and the containers that use them";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args.parse(args, List.of(), List.of()).positional(0);
      List<List<String>> rows = new ArrayList<>();
      for (VolumeInfo v : volumes().list()) {
        rows.add(List.of("local", v.name(), v.containers().isEmpty() ? "-" : String.join(",", v.containers())));
      }
      out.print(Texts.table(List.of("DRIVER", "VOLUME NAME", "CONTAINERS"), rows));
      return 0;
    }
  }

  /** {@code minke volume inspect NAME...}: a JSON array, as Docker prints it. */
  static final class Inspect implements Command {
    @Override
    public String usage() {
      return "volume inspect NAME...";
    }

    @Override
    public String summary() {
      return "Show a volume's mount point, creation time and users";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      List<String> names = Args.parse(args, List.of(), List.of()).atLeastOne("volume");
      Volumes volumes = volumes();
      out.println(Json.pretty(names.stream().map(volumes::inspect).toList()));
      return 0;
    }
  }

  /** {@code minke volume rm NAME...}. */
  static final class Rm implements Command {
    @Override
    public String usage() {
      return "volume rm NAME...";
    }

    @Override
    public String summary() {
      return "Remove volumes no container uses";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      List<String> names = Args.parse(args, List.of(), List.of()).atLeastOne("volume");
      Volumes volumes = volumes();
      for (String name : names) {
        volumes.remove(name);
        out.println(name);
      }
      return 0;
    }
  }

  /** {@code minke volume prune}: without asking, as {@code docker volume prune -a -f}. */
  static final class Prune implements Command {
    @Override
    public String usage() {
      return "volume prune";
    }

    @Override
    public String summary() {
      return "Remove every volume no container uses";
    }

    @Override
    public int run(List<String> args, PrintStream out) throws UsageException {
      Args.parse(args, List.of(), List.of("-f", "--force", "-a", "--all")).positional(0);
      List<String> removed = volumes().prune();
      out.println("Deleted Volumes:");
      removed.forEach(out::println);
      return 0;
    }
  }
}
