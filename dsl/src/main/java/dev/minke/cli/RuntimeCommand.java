package dev.minke.cli;

import dev.minke.image.Json;
import dev.minke.runtime.OciBundleSpec;
import dev.minke.runtime.OciRuntime;
import dev.minke.runtime.OciSignal;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code minke runtime [--root DIR] VERB …}: the OCI runtime command line, so that tools which
 * drive runc can drive Minke: {@code create}, {@code start}, {@code state}, {@code kill} and
 * {@code delete} with runc's semantics (see {@link OciRuntime}). {@code --root} is accepted
 * before the verb, as runc's global flag, or among the verb's options.
 */
final class RuntimeCommand implements Command {
  /** One verb: its usage after {@code runtime}, and what it does. */
  enum Verb {
    CREATE("create [--bundle DIR] [--pid-file FILE] ID", "Create a container from an OCI bundle; it waits for start"),
    START("start ID", "Run the program of a created container"),
    STATE("state ID", "Print a container's state as runtime-spec JSON"),
    KILL("kill ID [SIGNAL]", "Send a signal (default TERM) to a container's process"),
    DELETE("delete [--force] ID", "Remove a stopped container (--force kills it first)");

    final String usage;
    final String summary;

    Verb(String usage, String summary) {
      this.usage = usage;
      this.summary = summary;
    }

    String word() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static final String ROOT = "--root";

  private final Verb verb; // null: the dispatcher, for `runtime --root DIR VERB …`

  RuntimeCommand(Verb verb) {
    this.verb = verb;
  }

  @Override
  public String usage() {
    return verb == null ? "runtime [--root DIR] create|start|state|kill|delete ..." : "runtime " + verb.usage;
  }

  @Override
  public String summary() {
    return verb == null ? "The OCI runtime command line (runc's create, start, state, kill, delete)" : verb.summary;
  }

  @Override
  public int run(List<String> args, PrintStream out) throws Exception {
    if (verb != null) {
      return run(verb, args, null, out);
    }
    // Global options before the verb, as runc takes them.
    String root = null;
    int i = 0;
    while (i < args.size() && args.get(i).startsWith("-")) {
      String arg = args.get(i++);
      if (arg.startsWith(ROOT + "=")) {
        root = arg.substring(ROOT.length() + 1);
      } else if (arg.equals(ROOT) && i < args.size()) {
        root = args.get(i++);
      } else {
        throw new UsageException("unknown option " + arg);
      }
    }
    if (i >= args.size()) {
      throw new UsageException("name a verb: create, start, state, kill or delete");
    }
    for (Verb v : Verb.values()) {
      if (v.word().equals(args.get(i))) {
        return run(v, args.subList(i + 1, args.size()), root, out);
      }
    }
    throw new UsageException("unknown verb \"" + args.get(i) + "\": use create, start, state, kill or delete");
  }

  private static int run(Verb verb, List<String> args, String globalRoot, PrintStream out) throws Exception {
    Args parsed = switch (verb) {
      case CREATE -> Args.parse(args, List.of(ROOT, "--bundle", "-b", "--pid-file"), List.of());
      case DELETE -> Args.parse(args, List.of(ROOT), List.of("--force", "-f"));
      default -> Args.parse(args, List.of(ROOT), List.of());
    };
    String rootOption = parsed.option(ROOT, globalRoot);
    OciRuntime runtime = OciRuntime.at(rootOption == null ? OciRuntime.defaultRoot() : Path.of(rootOption));
    switch (verb) {
      case CREATE -> {
        String id = parsed.positional(1).get(0);
        OciBundleSpec bundle = OciBundleSpec.load(Path.of(parsed.option("--bundle", parsed.option("-b", "."))));
        for (String warning : bundle.warnings()) {
          System.err.println("minke: warning: " + warning);
        }
        String pidFile = parsed.option("--pid-file");
        runtime.create(id, bundle, pidFile == null ? null : Path.of(pidFile));
      }
      case START -> runtime.start(parsed.positional(1).get(0));
      case STATE -> out.println(Json.pretty(runtime.state(parsed.positional(1).get(0))));
      case KILL -> {
        List<String> positional = parsed.positional();
        if (positional.isEmpty() || positional.size() > 2) {
          throw new UsageException("expected ID [SIGNAL]");
        }
        runtime.kill(positional.get(0), signal(positional.size() == 2 ? positional.get(1) : "TERM"));
      }
      case DELETE -> runtime.delete(parsed.positional(1).get(0), parsed.flag("--force") || parsed.flag("-f"));
    }
    return 0;
  }

  private static int signal(String value) throws UsageException {
    try {
      return OciSignal.parse(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }
}
