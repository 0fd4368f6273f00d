package dev.minke.dsl;

/**
 * Where Minke shows what it does when the caller did not ask for anything else: the console
 * (JShell, the CLI) or a notebook. The notebook kernel installs its own with {@link #use}.
 */
public interface FrontEnd {
  /** A display for a build that is about to start. */
  BuildDisplay startBuild();

  /** One line per finished step on stdout: {@code [2/5] CACHED RUN make (cache hit) 0.0s}. */
  FrontEnd CONSOLE = () -> ConsoleBuildOutput.INSTANCE;

  /** The front end in use in this JVM; the console until another is installed. */
  static FrontEnd current() {
    return FrontEnds.current;
  }

  /** Shows builds of this JVM through {@code frontEnd} from now on. */
  static void use(FrontEnd frontEnd) {
    FrontEnds.current = java.util.Objects.requireNonNull(frontEnd, "frontEnd");
  }
}

/** Holds the JVM's front end (an interface cannot hold mutable state). */
final class FrontEnds {
  static volatile FrontEnd current = FrontEnd.CONSOLE;

  private FrontEnds() {}
}
