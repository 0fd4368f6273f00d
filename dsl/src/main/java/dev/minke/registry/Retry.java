package dev.minke.registry;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.ThreadLocalRandom;

/** Which failures are worth another attempt, and how long to wait before it. */
final class Retry {
  /** No single wait is longer than this, whatever Retry-After asks. */
  static final long MAX_WAIT_MILLIS = 30_000;

  private Retry() {}

  /**
   * Connection errors and timeouts (no answer: the next attempt may get one) and registry
   * errors that say so themselves ({@link RegistryException#temporary()}); never a digest
   * mismatch, an auth failure, or anything the message alone would suggest.
   */
  static boolean isTemporary(Throwable error) {
    if (error instanceof RegistryException registry) {
      return registry.temporary();
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.net.UnknownHostException
          || cause instanceof java.nio.channels.UnresolvedAddressException) {
        return false; // No such host: asking again will not create it (Go's DNSError is not temporary).
      }
    }
    if (error instanceof HttpTimeoutException) {
      return true;
    }
    if (error instanceof Transport.CappedBodyException || error instanceof javax.net.ssl.SSLHandshakeException) {
      return false; // The server's answer is too big, or its certificate is not trusted: no retry changes that.
    }
    if (error instanceof InterruptedIOException) {
      return false; // A thread interrupt, not a network fault.
    }
    return error instanceof IOException;
  }

  /** The wait before attempt {@code attempt} (1 = first retry): doubled each time, with jitter. */
  static long backoffMillis(long baseMillis, int attempt, long retryAfterMillis) {
    long exponential = baseMillis << Math.min(attempt - 1, 16);
    long jitter = baseMillis <= 0 ? 0 : ThreadLocalRandom.current().nextLong(baseMillis / 2 + 1);
    return Math.min(MAX_WAIT_MILLIS, Math.max(exponential + jitter, retryAfterMillis));
  }

  /** A Retry-After header in seconds as milliseconds; 0 if absent or an HTTP date. */
  static long retryAfterMillis(String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(header.strip())) * 1000;
    } catch (NumberFormatException httpDate) {
      return 0;
    }
  }
}
