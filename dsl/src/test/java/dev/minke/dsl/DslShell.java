package dev.minke.dsl;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * JShell in this JVM with the startup script's imports, for evaluating printed DSL source. The
 * value of a source's last expression comes back as the object itself (through {@link #RESULT},
 * which the snippets and the test share because JShell's class loader delegates to the test's).
 */
public final class DslShell implements AutoCloseable {
  /** Where the evaluated snippet puts its value; public so that snippet code can reach it. */
  public static final AtomicReference<Object> RESULT = new AtomicReference<>();

  private static DslShell shared;

  private final JShell shell;

  /** One shell for the unit tests of this JVM: starting JShell costs seconds. */
  static synchronized DslShell shared() throws IOException {
    if (shared == null) {
      shared = new DslShell();
    }
    return shared;
  }

  DslShell() throws IOException {
    shell = JShell.builder().executionEngine("local")
        .out(new PrintStream(new ByteArrayOutputStream())).err(new PrintStream(new ByteArrayOutputStream()))
        .build();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      shell.addToClasspath(entry);
    }
    // The startup's imports only: its System.setProperty would change this JVM's error output.
    for (String line : Files.readAllLines(Path.of("src/main/resources/dev/minke/minke.jsh"))) {
      if (line.startsWith("import ")) {
        check(shell.eval(line));
      }
    }
  }

  /** Evaluates {@code source} and returns the value of its last snippet, an expression. */
  Object eval(String source) {
    List<String> snippets = split(source);
    String last = snippets.remove(snippets.size() - 1);
    snippets.add(DslShell.class.getName() + ".RESULT.set(" + last + ");");
    List<Snippet> made = new ArrayList<>();
    RESULT.set(null);
    try {
      for (String snippet : snippets) {
        List<SnippetEvent> events = shell.eval(snippet);
        events.stream().map(SnippetEvent::snippet).forEach(made::add);
        check(events);
      }
      return RESULT.get();
    } finally {
      made.forEach(s -> shell.drop(s));
    }
  }

  private List<String> split(String source) {
    List<String> snippets = new ArrayList<>();
    String rest = source;
    while (!rest.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(rest);
      if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
        break;
      }
      if (!info.completeness().isComplete()) {
        throw new AssertionError("incomplete snippet (" + info.completeness() + "):\n" + rest);
      }
      snippets.add(info.source());
      rest = info.remaining();
    }
    return snippets;
  }

  private void check(List<SnippetEvent> events) {
    for (SnippetEvent event : events) {
      if (event.status() == Snippet.Status.REJECTED) {
        String errors = shell.diagnostics(event.snippet())
            .map(d -> d.getMessage(java.util.Locale.ROOT)).collect(Collectors.joining("\n"));
        throw new AssertionError("JShell rejected:\n" + event.snippet().source() + "\n" + errors);
      }
      if (event.exception() != null) {
        throw new AssertionError("JShell threw on:\n" + event.snippet().source(), event.exception());
      }
    }
  }

  @Override
  public void close() {
    shell.close();
  }
}
