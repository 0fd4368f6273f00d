package dev.minke.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Evaluates a notebook cell with JShell in this JVM: splits it into snippets, runs them in
 * order, stops at the first that fails, and returns the live value of the last one when it is
 * an expression ({@code img}, {@code from("busybox").build()}); declarations show nothing, like
 * assignments in Python. The Minke DSL is imported before the first cell.
 */
final class CellEvaluator implements AutoCloseable {
  /** The imports every cell starts with: the same file JShell's front end uses. */
  static final String STARTUP_RESOURCE = "/dev/minke/minke.jsh";

  private final LiveExecutionControl control;
  private final JShell shell;

  CellEvaluator(long abandonAfterMillis) {
    this.control = new LiveExecutionControl(abandonAfterMillis);
    this.shell = JShell.builder()
        .executionEngine(new LiveExecutionControlProvider(control), null)
        .compilerOptions("-Xlint:none", "-proc:none")
        .build();
  }

  /** Runs the startup imports and the kernel's notebook helpers. */
  void startup(String... extraSnippets) throws Exception {
    evalSnippets(startupScript());
    for (String source : extraSnippets) {
      evalSnippets(source);
    }
  }

  /** Evaluates a cell; the value of its last snippet when that is an expression. */
  Optional<Object> eval(String cell) throws Exception {
    control.clearCell();
    try {
      return evalSnippets(cell);
    } finally {
      control.clearCell();
    }
  }

  private Optional<Object> evalSnippets(String code) throws Exception {
    Optional<Object> last = Optional.empty();
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = code;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      if (!info.completeness().isComplete()) {
        throw new CellException("incomplete code at the end of the cell: " + remaining.strip()
            + " (hint: finish the statement, e.g. close a brace or add ';')");
      }
      last = evalOne(info.source());
      remaining = info.remaining();
    }
    return last;
  }

  private Optional<Object> evalOne(String source) throws Exception {
    Optional<Object> value = Optional.empty();
    for (SnippetEvent event : shell.eval(source)) {
      if (event.causeSnippet() != null) {
        continue; // An update of a dependent snippet, not this one.
      }
      if (event.exception() != null) {
        throw failure(event);
      }
      Snippet snippet = event.snippet();
      if (event.status() == Snippet.Status.REJECTED) {
        throw new CellException(compileErrors(snippet));
      }
      if (event.status() == Snippet.Status.RECOVERABLE_DEFINED
          || event.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED) {
        throw new CellException(unresolved(snippet));
      }
      if (isExpression(snippet) && control.hasResult(event.value())) {
        value = Optional.ofNullable(control.takeResult(event.value()));
      }
    }
    return value;
  }

  private static boolean isExpression(Snippet snippet) {
    return switch (snippet.subKind()) {
      case TEMP_VAR_EXPRESSION_SUBKIND, VAR_VALUE_SUBKIND, OTHER_EXPRESSION_SUBKIND -> true;
      default -> false;
    };
  }

  /** The user's own exception where there is one, so the kernel can show a Minke error as such. */
  private Exception failure(SnippetEvent event) {
    Throwable live = control.lastFailure();
    if (live instanceof Exception exception) {
      return exception;
    }
    if (live != null) {
      return new CellException(live);
    }
    Exception reported = event.exception();
    if (reported instanceof UnresolvedReferenceException unresolved) {
      return new CellException(unresolved(unresolved.getSnippet()));
    }
    if (reported instanceof EvalException eval) {
      return new CellException(eval.getExceptionClassName() + ": " + eval.getMessage());
    }
    return new CellException(String.valueOf(reported.getMessage()));
  }

  private String compileErrors(Snippet snippet) {
    List<Diag> diagnostics = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
    if (diagnostics.isEmpty()) {
      return "the code was rejected: " + snippet.source().strip();
    }
    StringBuilder text = new StringBuilder();
    for (Diag diag : diagnostics) {
      text.append(describe(snippet.source(), diag)).append('\n');
    }
    return text.toString().stripTrailing();
  }

  private static String describe(String source, Diag diag) {
    String message = diag.getMessage(null);
    int at = (int) diag.getStartPosition();
    if (at < 0 || at > source.length()) {
      return "error: " + message;
    }
    int lineStart = source.lastIndexOf('\n', Math.max(0, at - 1)) + 1;
    int lineEnd = source.indexOf('\n', at);
    String line = source.substring(lineStart, lineEnd < 0 ? source.length() : lineEnd);
    return "error: " + message + "\n    " + line + "\n    " + " ".repeat(Math.max(0, at - lineStart)) + "^";
  }

  private String unresolved(Snippet snippet) {
    String names = shell.unresolvedDependencies((jdk.jshell.DeclarationSnippet) snippet)
        .collect(Collectors.joining(", "));
    return "cannot find symbol " + names + " used in: " + snippet.source().strip();
  }

  /** Completion at {@code cursor} of a cell: suggestions and the start of the text they replace. */
  Completion complete(String cell, int cursor) {
    CellSnippets.Located located = CellSnippets.locate(shell, cell, cursor);
    int[] anchor = new int[1];
    List<SourceCodeAnalysis.Suggestion> suggestions =
        shell.sourceCodeAnalysis().completionSuggestions(located.source(), located.cursor(), anchor);
    List<String> matches = new ArrayList<>();
    suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
        .map(SourceCodeAnalysis.Suggestion::continuation).distinct().forEach(matches::add);
    suggestions.stream().filter(s -> !s.matchesType())
        .map(SourceCodeAnalysis.Suggestion::continuation).filter(s -> !matches.contains(s)).forEach(matches::add);
    return new Completion(matches, located.offset() + anchor[0], cursor);
  }

  /** Suggestions and the range {@code [start, end)} of the cell they replace. */
  record Completion(List<String> matches, int start, int end) {}

  /** The javadoc of what is under the cursor: signature and text, or empty. */
  Optional<String> documentation(String cell, int cursor) {
    CellSnippets.Located located = CellSnippets.locate(shell, cell, cursor);
    String source = located.source();
    int at = located.cursor();
    // JShell documents the method whose argument list the cursor is in: move past the name and "(".
    while (at < source.length() && Character.isJavaIdentifierPart(source.charAt(at))) {
      at++;
    }
    if (at < source.length() && source.charAt(at) == '(') {
      at++;
    } else {
      source = source.substring(0, at) + "(" + source.substring(at); // A bare method name: document its calls.
      at++;
    }
    List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(source, at, true);
    if (docs.isEmpty()) {
      return Optional.empty();
    }
    StringBuilder text = new StringBuilder();
    for (SourceCodeAnalysis.Documentation doc : docs) {
      text.append(doc.signature()).append('\n');
      if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
        text.append(doc.javadoc().strip()).append("\n\n");
      }
    }
    return Optional.of(text.toString().strip());
  }

  /** Jupyter's is_complete answer: "complete", "incomplete" (with an indent), or "invalid". */
  String completeness(String cell) {
    SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
    String remaining = cell;
    while (!remaining.isBlank()) {
      SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
      switch (info.completeness()) {
        case UNKNOWN:
          return "invalid";
        case DEFINITELY_INCOMPLETE:
        case CONSIDERED_INCOMPLETE:
          return "incomplete";
        default:
          remaining = info.remaining();
      }
    }
    return "complete";
  }

  /** Interrupts the running cell (Jupyter's interrupt_request). */
  void interrupt() {
    control.interrupt();
  }

  @Override
  public void close() {
    shell.close();
  }

  private static String startupScript() {
    try (InputStream in = CellEvaluator.class.getResourceAsStream(STARTUP_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the JShell startup script " + STARTUP_RESOURCE + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + STARTUP_RESOURCE, e);
    }
  }
}
