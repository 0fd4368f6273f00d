package dev.minke.os;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.error.InterruptedOperationException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InterruptsTest {
  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void cleanUp_onInterruptedThread_runsWithTheStatusClear_andSetsItAgain() {
    Thread.currentThread().interrupt();
    AtomicBoolean clearInside = new AtomicBoolean();
    Interrupts.cleanUp(() -> clearInside.set(!Thread.currentThread().isInterrupted()));
    assertTrue(clearInside.get());
    assertTrue(Thread.currentThread().isInterrupted());
  }

  @Test
  void cleanUp_onThreadNotInterrupted_leavesItSo() {
    Interrupts.cleanUp(() -> { });
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void awaitTermination_onInterruptedThread_stillWaitsForTheTasks() {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    AtomicBoolean finished = new AtomicBoolean();
    pool.submit(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        // not interrupted: shutdown() below lets it finish
      }
      finished.set(true);
    });
    pool.shutdown();
    Thread.currentThread().interrupt();
    assertTrue(Interrupts.awaitTermination(pool, Duration.ofMinutes(1)));
    assertTrue(finished.get());
    assertTrue(Thread.currentThread().isInterrupted());
  }

  @Test
  void isInterrupt_knowsTheInterruptExceptions_butNotASocketTimeout() {
    assertTrue(Interrupts.isInterrupt(new RuntimeException(new InterruptedException())));
    assertTrue(Interrupts.isInterrupt(new UncheckedIOException(new ClosedByInterruptException())));
    assertTrue(Interrupts.isInterrupt(new InterruptedIOException()));
    assertFalse(Interrupts.isInterrupt(new UncheckedIOException(new SocketTimeoutException())));
    assertFalse(Interrupts.isInterrupt(new IOException("disk full")));
  }

  @Test
  void checkpoint_throwsOnlyWhenInterrupted_andKeepsTheStatus() {
    Interrupts.checkpoint("walking");
    Thread.currentThread().interrupt();
    assertThrows(InterruptedOperationException.class, () -> Interrupts.checkpoint("walking"));
    assertTrue(Thread.currentThread().isInterrupted());
  }
}
