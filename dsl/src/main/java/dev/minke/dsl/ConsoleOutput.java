package dev.minke.dsl;

import dev.minke.runtime.OutputListener;

/** Streams a container's output to this JVM's stdout and stderr as it is written (JShell, CLI). */
final class ConsoleOutput implements OutputListener {
  static final ConsoleOutput INSTANCE = new ConsoleOutput();

  private ConsoleOutput() {}

  @Override
  public void stdout(byte[] chunk, int length) {
    System.out.write(chunk, 0, length);
    System.out.flush();
  }

  @Override
  public void stderr(byte[] chunk, int length) {
    System.err.write(chunk, 0, length);
    System.err.flush();
  }
}
