package dev.minke.kernel;

/**
 * Runs a publish with the calling thread's interrupt status cleared, then restores it. A cell's
 * thread is interrupted when the user stops the cell, and it still has outputs to send (the build
 * display's last update saying where the build stopped); JeroMQ refuses to send from an
 * interrupted thread (EINTR), possibly after part of a multipart message went out.
 */
final class Uninterrupted {
  private Uninterrupted() {}

  static void run(Runnable publish) {
    boolean interrupted = Thread.interrupted();
    try {
      publish.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
