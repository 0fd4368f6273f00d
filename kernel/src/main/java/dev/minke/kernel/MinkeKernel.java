package dev.minke.kernel;

import dev.minke.error.MinkeException;
import dev.minke.view.MimeBundle;
import dev.minke.view.MimeBundles;
import io.github.spencerpark.jupyter.kernel.BaseKernel;
import io.github.spencerpark.jupyter.kernel.LanguageInfo;
import io.github.spencerpark.jupyter.kernel.ReplacementOptions;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Minke kernel: cells are Java, evaluated by JShell in this JVM with the DSL imported;
 * Minke values render as HTML, JSON and text ({@link MimeBundles}); builds show one live display
 * ({@link NotebookFrontEnd}); {@code %%dockerfile} cells build a Dockerfile ({@link DockerfileMagic}).
 */
final class MinkeKernel extends BaseKernel {
  /** How long an interrupted cell may take to clean up (stop containers, roll back) before it is abandoned. */
  private static final long ABANDON_AFTER_MILLIS = Long.getLong("minke.kernel.interruptGraceMillis", 30_000);

  private final CompletableFuture<CellEvaluator> evaluator;
  private final DockerfileMagic dockerfileMagic = new DockerfileMagic(this);

  MinkeKernel() {
    // JShell starts while the sockets come up: the kernel answers kernel_info at once and the
    // first cell waits for the imports to be ready.
    this.evaluator = CompletableFuture.supplyAsync(MinkeKernel::startEvaluator);
    Notebook.attach(this);
    dev.minke.dsl.FrontEnd.use(new NotebookFrontEnd(this));
  }

  private static CellEvaluator startEvaluator() {
    CellEvaluator shell = new CellEvaluator(ABANDON_AFTER_MILLIS);
    try {
      shell.startup("import static dev.minke.kernel.Notebook.*;");
    } catch (Exception e) {
      throw new IllegalStateException("the kernel's startup snippets failed: " + e.getMessage(), e);
    }
    return shell;
  }

  private CellEvaluator shell() {
    return evaluator.join();
  }

  @Override
  public DisplayData eval(String code) throws Exception {
    if (DockerfileMagic.isDockerfileCell(code)) {
      return dockerfileMagic.run(code);
    }
    Optional<Object> value = shell().eval(code);
    return value.map(this::render).orElse(null);
  }

  /** The display of any value: Minke's views for Minke values, basekernel's text otherwise. */
  DisplayData render(Object value) {
    Optional<MimeBundle> bundle = MimeBundles.of(value);
    if (bundle.isEmpty()) {
      return getRenderer().render(value);
    }
    DisplayData data = new DisplayData();
    bundle.get().data().forEach(data::putData);
    return data;
  }

  @Override
  public LanguageInfo getLanguageInfo() {
    return new LanguageInfo.Builder("java")
        .version(Runtime.version().toString())
        .mimetype("text/x-java-source")
        .fileExtension(".jshell")
        .pygments("java")
        .codemirror("text/x-java")
        .build();
  }

  @Override
  public String getBanner() {
    return "Minke " + KernelVersion.VERSION + " on Java " + Runtime.version()
        + ": from(\"busybox\").run(\"echo hi > /greeting\").build()";
  }

  @Override
  public List<LanguageInfo.Help> getHelpLinks() {
    return List.of(new LanguageInfo.Help("Java API", "https://docs.oracle.com/en/java/javase/17/docs/api/"));
  }

  @Override
  public ReplacementOptions complete(String code, int at) {
    CellEvaluator.Completion completion = shell().complete(code, at);
    return new ReplacementOptions(completion.matches(), completion.start(), completion.end());
  }

  @Override
  public DisplayData inspect(String code, int at, boolean extraDetail) {
    return shell().documentation(code, at).map(DisplayData::new).orElse(null);
  }

  @Override
  public String isComplete(String code) {
    if (DockerfileMagic.isDockerfileCell(code)) {
      return IS_COMPLETE_YES;
    }
    String answer = shell().completeness(code);
    return answer.equals("incomplete") ? "    " : answer.equals("invalid") ? IS_COMPLETE_BAD : IS_COMPLETE_YES;
  }

  @Override
  public void interrupt() {
    if (evaluator.isDone()) {
      shell().interrupt();
    }
  }

  @Override
  public void onShutdown(boolean isRestarting) {
    shell().interrupt();
  }

  /**
   * A Minke error as its problem and hint, a compile error as javac put it, anything else as
   * the exception and the frames of the cell's own code.
   */
  @Override
  public List<String> formatError(Exception e) {
    List<String> lines = new ArrayList<>();
    if (e instanceof MinkeException minke) {
      lines.add(errorStyler.secondary(minke.getClass().getSimpleName() + ": " + minke.problem()));
      if (!minke.hint().isEmpty()) {
        lines.add(errorStyler.primary("hint: " + minke.hint()));
      }
      return lines;
    }
    if (e instanceof CellException cell && cell.thrown() == null) {
      cell.getMessage().lines().forEach(line -> lines.add(errorStyler.secondary(line)));
      return lines;
    }
    Throwable shown = e instanceof CellException cell ? cell.thrown() : e;
    lines.add(errorStyler.secondary(shown.getClass().getName() + ": " + shown.getMessage()));
    for (StackTraceElement frame : shown.getStackTrace()) {
      if (frame.getClassName().startsWith("REPL.")) {
        lines.add(errorStyler.primary("    at cell, line " + frame.getLineNumber()));
        break; // Below the cell are JShell's and the kernel's frames: noise for the reader.
      }
      lines.add(errorStyler.primary("    at " + frame));
    }
    return lines;
  }
}
