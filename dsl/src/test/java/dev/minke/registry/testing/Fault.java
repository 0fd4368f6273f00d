package dev.minke.registry.testing;

import java.time.Duration;

/**
 * What {@link FaultProxy} does to one request instead of passing it through faithfully. Body
 * faults act on the response body (a blob or manifest GET); on an empty body they send it as is.
 */
public sealed interface Fault {
  /** Reads the request, then closes the connection: the registry never sees it. */
  record DropRequest() implements Fault {}

  /** Forwards the request (the registry acts on it), then closes without a response byte. */
  record DropResponse() implements Fault {}

  /** Sends the status line and headers (true Content-Length), then closes before the body. */
  record DropAfterHeaders() implements Fault {}

  /** Sends the headers (true Content-Length) and only the first {@code bytes} of the body, then closes. */
  record Truncate(long bytes) implements Fault {}

  /** Answers {@code status} itself (with {@code Retry-After} if given), a distribution error body. */
  record Status(int status, Duration retryAfter) implements Fault {}

  /** Sends the body {@code chunkBytes} at a time with {@code pause} between chunks. */
  record SlowBody(int chunkBytes, Duration pause) implements Fault {}

  /** Waits {@code delay} after the registry answered, before sending the response headers. */
  record Delay(Duration delay) implements Fault {}

  /** Inverts every bit of the body byte at {@code offset} (-1: the middle one); length unchanged. */
  record FlipByte(long offset) implements Fault {}

  /**
   * Declares {@code Content-Length: real + delta}, sends the real body, then closes: the client
   * either waits for bytes that never come (delta &gt; 0) or reads a short body (delta &lt; 0).
   */
  record WrongContentLength(long delta) implements Fault {}

  static Fault dropRequest() {
    return new DropRequest();
  }

  static Fault dropResponse() {
    return new DropResponse();
  }

  static Fault dropAfterHeaders() {
    return new DropAfterHeaders();
  }

  /** Closes half-way through the body. */
  static Fault dropMidBody() {
    return new Truncate(-1);
  }

  static Fault truncate(long bytes) {
    return new Truncate(bytes);
  }

  static Fault status(int status) {
    return new Status(status, null);
  }

  /** 429 TOOMANYREQUESTS with {@code Retry-After: seconds}. */
  static Fault tooManyRequests(Duration retryAfter) {
    return new Status(429, retryAfter);
  }

  static Fault serverError() {
    return new Status(500, null);
  }

  static Fault slowBody(int chunkBytes, Duration pause) {
    return new SlowBody(chunkBytes, pause);
  }

  static Fault delay(Duration delay) {
    return new Delay(delay);
  }

  static Fault flipByte() {
    return new FlipByte(-1);
  }

  static Fault flipByte(long offset) {
    return new FlipByte(offset);
  }

  static Fault wrongContentLength(long delta) {
    return new WrongContentLength(delta);
  }
}
