package dev.minke.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.dsl.Stage;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** JShell in-process, without sockets: what a cell evaluates to, and how it fails. */
class CellEvaluatorTest {
  private static CellEvaluator shell;

  @BeforeAll
  static void start() throws Exception {
    shell = new CellEvaluator(2_000);
    shell.startup();
  }

  @AfterAll
  static void stop() {
    shell.close();
  }

  @Test
  void expression_givesTheLiveObject() throws Exception {
    Optional<Object> value = shell.eval("from(\"busybox\").workdir(\"/app\")");
    assertInstanceOf(Stage.class, value.orElseThrow(), "the value itself, not its text");
  }

  @Test
  void cellOfSeveralSnippets_givesTheLastValue() throws Exception {
    assertEquals(42, shell.eval("int base = 40;\nint more = 2;\nbase + more").orElseThrow());
  }

  @Test
  void declaration_showsNothing() throws Exception {
    assertTrue(shell.eval("var stage = scratch();").isEmpty());
    assertInstanceOf(Stage.class, shell.eval("stage").orElseThrow());
  }

  @Test
  void compileError_namesTheProblemAndPointsAtIt() {
    CellException e = assertThrows(CellException.class, () -> shell.eval("int x = \"text\";"));
    assertTrue(e.getMessage().contains("incompatible types"), e.getMessage());
    assertTrue(e.getMessage().contains("^"), e.getMessage());
  }

  @Test
  void thrownException_reachesTheKernelAsItself() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> shell.eval("throw new IllegalStateException(\"boom\")"));
    assertEquals("boom", e.getMessage());
  }

  @Test
  void unfinishedCode_isAnErrorNamingIt() {
    CellException e = assertThrows(CellException.class, () -> shell.eval("int y = 1;\nfor (int i = 0; i < 3; i++) {"));
    assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
  }

  @Test
  void completion_offersDslMethods() {
    String cell = "from(\"busybox\").work";
    CellEvaluator.Completion completion = shell.complete(cell, cell.length());
    assertTrue(completion.matches().contains("workdir("), completion.matches().toString());
    assertEquals(cell.indexOf("work"), completion.start());
  }

  @Test
  void completion_inTheSecondSnippetOfACell() {
    String cell = "int a = 1;\nscratch().ent";
    CellEvaluator.Completion completion = shell.complete(cell, cell.length());
    assertTrue(completion.matches().contains("entrypoint("), completion.matches().toString());
    assertEquals(cell.indexOf("ent"), completion.start());
  }

  @Test
  void documentation_ofADslMethod() {
    String cell = "from";
    assertTrue(shell.documentation(cell, cell.length()).orElseThrow().contains("from("));
  }

  @Test
  void completeness_asJupyterAsks() {
    assertEquals("complete", shell.completeness("int z = 3;"));
    assertEquals("incomplete", shell.completeness("for (int i = 0; i < 3; i++) {"));
  }

  @Test
  void interrupt_stopsACellThatWaits() throws Exception {
    CompletableFuture<Throwable> failure = CompletableFuture.supplyAsync(() -> {
      try {
        shell.eval("Thread.sleep(60_000)");
        return null;
      } catch (Exception e) {
        return e;
      }
    });
    // Interrupt until the cell has started (the snippet is compiled first).
    while (!failure.isDone()) {
      shell.interrupt();
      Thread.sleep(50);
    }
    assertInstanceOf(InterruptedException.class, failure.get(30, TimeUnit.SECONDS));
    assertEquals(2, shell.eval("1 + 1").orElseThrow(), "the next cell runs");
  }
}
