package dev.minke.cli;

import dev.minke.image.Json;
import dev.minke.runtime.net.Network;
import dev.minke.runtime.net.Networks;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** {@code minke network create|ls|rm|inspect}: Docker's network verbs on the host's networks. */
final class NetworkCommand implements Command {
  enum Verb {
    CREATE("network create [--subnet CIDR] NAME", "Create a bridge network"),
    LS("network ls", "List networks"),
    RM("network rm NAME...", "Remove networks"),
    INSPECT("network inspect NAME...", "Show networks as JSON, with their running containers");

    final String usage;
    final String summary;

    Verb(String usage, String summary) {
      this.usage = usage;
      this.summary = summary;
    }
  }

  private final Verb verb;

  NetworkCommand(Verb verb) {
    this.verb = verb;
  }

  @Override
  public String usage() {
    return verb.usage;
  }

  @Override
  public String summary() {
    return verb.summary;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws UsageException {
    Networks networks = new Networks();
    switch (verb) {
      case CREATE -> {
        Args parsed = Args.parse(args, List.of("--subnet"), List.of());
        Network created = networks.create(parsed.positional(1).get(0), parsed.option("--subnet"));
        out.println(created.name());
      }
      case LS -> {
        Args.none(args);
        List<List<String>> rows = new ArrayList<>();
        for (Network n : networks.list()) {
          rows.add(List.of(n.name(), n.driver(), n.subnet() == null ? "" : n.subnet(),
              n.bridge() == null ? "" : n.bridge(), Integer.toString(n.containers().size())));
        }
        out.print(dev.minke.dsl.Texts.table(List.of("NAME", "DRIVER", "SUBNET", "BRIDGE", "CONTAINERS"), rows));
      }
      case RM -> {
        if (args.isEmpty()) {
          throw new UsageException("name a network to remove");
        }
        for (String name : args) {
          networks.remove(name);
          out.println(name);
        }
      }
      case INSPECT -> {
        if (args.isEmpty()) {
          throw new UsageException("name a network to inspect");
        }
        out.println(Json.pretty(args.stream().map(networks::inspect).toList()));
      }
      default -> throw new IllegalStateException(verb.name());
    }
    return 0;
  }
}
