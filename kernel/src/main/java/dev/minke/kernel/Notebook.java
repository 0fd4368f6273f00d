package dev.minke.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.Objects;
import java.util.UUID;

/**
 * Display helpers imported into every notebook: {@code var id = display(img);} shows a value
 * now (Minke values as their HTML views) and {@code updateDisplay(id, other)} replaces that
 * output in place, as IPython's {@code display(..., display_id=True)} does.
 */
public final class Notebook {
  private static volatile MinkeKernel kernel;

  private Notebook() {}

  static void attach(MinkeKernel running) {
    kernel = running;
  }

  /** Shows {@code value} below the cell now; returns the display's ID for {@link #updateDisplay}. */
  public static String display(Object value) {
    DisplayData data = kernel().render(value);
    String id = UUID.randomUUID().toString();
    data.setDisplayId(id);
    Uninterrupted.run(() -> kernel().display(data));
    return id;
  }

  /** Replaces the output that {@link #display} showed under {@code id} with {@code value}. */
  public static void updateDisplay(String id, Object value) {
    DisplayData data = kernel().render(value);
    Objects.requireNonNull(id, "id");
    Uninterrupted.run(() -> kernel().getIO().display.updateDisplay(id, data));
  }

  private static MinkeKernel kernel() {
    MinkeKernel running = kernel;
    if (running == null) {
      throw new IllegalStateException("display() works in the Minke notebook kernel only; in JShell, print the value");
    }
    return running;
  }
}
