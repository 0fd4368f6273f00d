package dev.minke.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.minke.image.Digest;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryTest {
  private static RegistryException status(int status, String... codes) {
    return new RegistryException("r.example", "a/b", status, List.of(codes), "x", "", null);
  }

  @Test
  void isTemporary_byStatus() {
    for (int s : new int[] {0, 408, 429, 500, 502, 503, 504}) {
      assertTrue(Retry.isTemporary(status(s)), "status " + s);
    }
    for (int s : new int[] {400, 401, 403, 404, 405, 413, 416, 501}) {
      assertFalse(Retry.isTemporary(status(s)), "status " + s);
    }
    assertTrue(Retry.isTemporary(status(400, "TOOMANYREQUESTS")));
  }

  @Test
  void isTemporary_byType_neverByMessage() {
    assertTrue(Retry.isTemporary(new ConnectException("Connection refused")));
    assertTrue(Retry.isTemporary(new HttpTimeoutException("request timed out")));
    assertTrue(Retry.isTemporary(new IOException("fatal: this message says nothing")));
    assertFalse(Retry.isTemporary(new InterruptedIOException("503 Service Unavailable, retry")));
    assertFalse(Retry.isTemporary(new Transport.CappedBodyException("too big")));
    assertFalse(Retry.isTemporary(new javax.net.ssl.SSLHandshakeException("PKIX path building failed")));
    assertFalse(Retry.isTemporary(new RuntimeException("connection reset")));
    assertFalse(Retry.isTemporary(new java.net.UnknownHostException("registry.invalid")));
    assertFalse(Retry.isTemporary(new ConnectException("x") {{ initCause(new java.nio.channels.UnresolvedAddressException()); }}));
    assertFalse(Retry.isTemporary(new RegistryAuthException("r", "a", 401)));
    assertFalse(Retry.isTemporary(new ManifestUnknownException(Reference.parse("a:1"), "r", 404, List.of())));
    assertFalse(Retry.isTemporary(new RegistryContentException("r", "a", Digest.sha256("x"), "bad")));
  }

  @Test
  void backoff_doublesWithJitter_honoursRetryAfter_andIsCapped() {
    for (int attempt = 1; attempt <= 4; attempt++) {
      long wait = Retry.backoffMillis(100, attempt, 0);
      long base = 100L << (attempt - 1);
      assertTrue(wait >= base && wait <= base + 50, attempt + ": " + wait);
    }
    assertEquals(5000, Retry.backoffMillis(0, 1, 5000));
    assertEquals(Retry.MAX_WAIT_MILLIS, Retry.backoffMillis(100, 30, 0));
    assertEquals(Retry.MAX_WAIT_MILLIS, Retry.backoffMillis(1, 1, 3_600_000));
  }

  @Test
  void retryAfter_secondsOnly() {
    assertEquals(3000, Retry.retryAfterMillis("3"));
    assertEquals(0, Retry.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"));
    assertEquals(0, Retry.retryAfterMillis(null));
  }
}
