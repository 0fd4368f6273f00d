package dev.minke.registry.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every {@link Fault} is observable by a plain HTTP GET of a blob through the proxy, in front of
 * the open test registry; unfaulted requests (uploads included) pass through faithfully.
 */
class FaultProxyIT {
  private static final int SIZE = 64 * 1024;
  private static TestRegistries registries;
  private static FaultProxy proxy;
  private static byte[] blob;
  private static String digest;
  private static URI blobUri;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(Tools.onPath("docker-registry"),
        "docker-registry is not installed (.ci/install-packages installs it)");
    registries = TestRegistries.create();
    proxy = registries.faultProxy();
    blob = new byte[SIZE];
    new Random(42).nextBytes(blob);
    digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
    // Upload through the proxy: POST, then PUT to the Location it answers.
    HttpClient client = client();
    HttpResponse<Void> post = client.send(HttpRequest.newBuilder(
            proxy.baseUri().resolve("/v2/test/blob/blobs/uploads/"))
        .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(202, post.statusCode());
    URI location = proxy.baseUri().resolve(post.headers().firstValue("Location").orElseThrow());
    assertEquals(proxy.port(), location.getPort(), "Location points back at the proxy: " + location);
    String separator = location.getRawQuery() == null ? "?" : "&";
    HttpResponse<Void> put = client.send(HttpRequest.newBuilder(
            URI.create(location + separator + "digest=" + digest))
        .header("Content-Type", "application/octet-stream")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(201, put.statusCode());
    blobUri = proxy.baseUri().resolve("/v2/test/blob/blobs/" + digest);
  }

  @AfterAll
  static void stop() {
    if (registries != null) {
      registries.close();
    }
  }

  @BeforeEach
  void reset() {
    proxy.clearFaults();
    proxy.clearLog();
  }

  /** A fresh client per call: no pooled connection, so no transparent retry hides a fault. */
  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  private static HttpResponse<byte[]> getBlob() throws IOException, InterruptedException {
    return client().send(HttpRequest.newBuilder(blobUri).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * The log once it holds {@code count} exchanges (or after 5 s): the proxy logs an exchange
   * after its last byte went out, so the client can have read the response first.
   */
  private static List<FaultProxy.Exchange> awaitRequests(int count) throws InterruptedException {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
    while (proxy.requests().size() < count && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return proxy.requests();
  }

  private static FaultProxy.Exchange only() throws InterruptedException {
    List<FaultProxy.Exchange> seen = awaitRequests(1);
    assertEquals(1, seen.size(), seen.toString());
    return seen.get(0);
  }

  @Test
  void passThrough_isFaithfulAndLogged() throws Exception {
    HttpResponse<byte[]> response = getBlob();
    assertEquals(200, response.statusCode());
    assertArrayEquals(blob, response.body());
    assertEquals(digest, response.headers().firstValue("Docker-Content-Digest").orElseThrow());
    FaultProxy.Exchange exchange = only();
    assertEquals("GET", exchange.method());
    assertEquals("/v2/test/blob/blobs/" + digest, exchange.path());
    assertTrue(exchange.forwarded());
    assertEquals(200, exchange.status());
    assertEquals(SIZE, exchange.responseBytes());
    assertNull(exchange.fault());
    HttpResponse<Void> head = client().send(HttpRequest.newBuilder(blobUri)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    assertEquals(String.valueOf(SIZE), head.headers().firstValue("Content-Length").orElseThrow());
  }

  @Test
  void keepAlive_servesManyRequestsOnOneConnection() throws Exception {
    HttpClient shared = client();
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(blob, shared.send(HttpRequest.newBuilder(blobUri).build(),
          HttpResponse.BodyHandlers.ofByteArray()).body());
    }
    assertEquals(3, awaitRequests(3).size());
  }

  @Test
  void dropRequest_registryNeverSeesIt() throws Exception {
    proxy.failNext("/blobs/", Fault.dropRequest(), 1);
    assertThrows(IOException.class, () -> rawGet(blobUri));
    FaultProxy.Exchange exchange = only();
    assertFalse(exchange.forwarded());
    assertEquals(-1, exchange.status());
    assertEquals(200, getBlob().statusCode(), "a fault applies only as many times as asked");
  }

  @Test
  void dropResponse_registryActedButClientGetsNothing() throws Exception {
    proxy.failNext("/blobs/", Fault.dropResponse(), 1);
    assertThrows(IOException.class, () -> rawGet(blobUri));
    assertTrue(only().forwarded());
    assertEquals(-1, only().status());
  }

  /**
   * Worth knowing for a client on java.net.http: when a connection closes before any response
   * byte, HttpClient silently re-sends a GET (JDK 17: once, then the IOException).
   */
  @Test
  void dropBeforeAnyByte_javaHttpClientRetriesGetSilently() throws Exception {
    proxy.failNext("/blobs/", Fault.dropResponse(), 1);
    assertArrayEquals(blob, getBlob().body());
    assertEquals(2, awaitRequests(2).size(), proxy.requests().toString());
    proxy.clearLog();
    proxy.failNext("/blobs/", Fault.dropRequest(), 100);
    assertThrows(IOException.class, FaultProxyIT::getBlob);
    assertEquals(2, awaitRequests(2).size(), "one silent retry, then the IOException");
    proxy.clearFaults();
  }

  @Test
  void dropAfterHeaders_noBody() throws Exception {
    proxy.failNext("/blobs/", Fault.dropAfterHeaders(), 1);
    assertThrows(IOException.class, FaultProxyIT::getBlob);
    assertEquals(200, only().status());
    assertEquals(0, only().responseBytes());
  }

  @Test
  void dropMidBody_halfTheBody() throws Exception {
    proxy.failNext("/blobs/", Fault.dropMidBody(), 1);
    assertThrows(IOException.class, FaultProxyIT::getBlob);
    assertEquals(SIZE / 2, only().responseBytes());
  }

  @Test
  void truncate_fewerBytesThanContentLength_seenOnTheWire() throws Exception {
    proxy.failNext("/blobs/", Fault.truncate(1000), 1);
    assertThrows(IOException.class, FaultProxyIT::getBlob);
    assertEquals(1000, only().responseBytes());
    // What a raw client sees: the true Content-Length, 1000 body bytes, then end of stream.
    proxy.failNext("/blobs/", Fault.truncate(1000), 1);
    RawResponse raw = rawGet(blobUri);
    assertTrue(raw.head().contains("Content-Length: " + SIZE), raw.head());
    assertEquals(1000, raw.body().length);
  }

  @Test
  void status429_withRetryAfter_thenPassesThrough() throws Exception {
    proxy.failNext("/blobs/", Fault.tooManyRequests(Duration.ofSeconds(2)), 2);
    for (int i = 0; i < 2; i++) {
      HttpResponse<byte[]> response = getBlob();
      assertEquals(429, response.statusCode());
      assertEquals("2", response.headers().firstValue("Retry-After").orElseThrow());
      assertTrue(new String(response.body(), StandardCharsets.UTF_8).contains("TOOMANYREQUESTS"));
    }
    assertEquals(0, proxy.pendingFaults());
    assertEquals(200, getBlob().statusCode());
    assertFalse(awaitRequests(1).get(0).forwarded());
  }

  @Test
  void status500() throws Exception {
    proxy.failNext("/blobs/", Fault.serverError(), 1);
    assertEquals(500, getBlob().statusCode());
  }

  @Test
  void slowBody_takesItsTime_bodyIntact() throws Exception {
    proxy.failNext("/blobs/", Fault.slowBody(16 * 1024, Duration.ofMillis(150)), 1);
    long start = System.nanoTime();
    HttpResponse<byte[]> response = getBlob();
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertArrayEquals(blob, response.body());
    assertTrue(millis >= 3 * 150, "4 chunks, 3 pauses of 150 ms; took " + millis + " ms");
  }

  @Test
  void delay_beforeTheHeaders() throws Exception {
    proxy.failNext("/blobs/", Fault.delay(Duration.ofMillis(400)), 1);
    long start = System.nanoTime();
    assertEquals(200, getBlob().statusCode());
    assertTrue((System.nanoTime() - start) / 1_000_000 >= 400);
    proxy.failNext("/blobs/", Fault.delay(Duration.ofSeconds(3)), 1);
    assertThrows(java.net.http.HttpTimeoutException.class, () -> client().send(
        HttpRequest.newBuilder(blobUri).timeout(Duration.ofMillis(500)).build(),
        HttpResponse.BodyHandlers.discarding()));
  }

  @Test
  void flipByte_sameLengthWrongDigest() throws Exception {
    proxy.failNext("/blobs/", Fault.flipByte(), 1);
    byte[] body = getBlob().body();
    assertEquals(SIZE, body.length);
    int differing = 0;
    for (int i = 0; i < SIZE; i++) {
      if (body[i] != blob[i]) {
        differing++;
        assertEquals(SIZE / 2, i);
      }
    }
    assertEquals(1, differing);
    String got = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    assertNotEquals(digest, got);
  }

  @Test
  void wrongContentLength_tooLong_clientSeesEarlyEnd() throws Exception {
    proxy.failNext("/blobs/", Fault.wrongContentLength(+10), 1);
    assertThrows(IOException.class, FaultProxyIT::getBlob);
    RawResponse raw = rawGetWith(Fault.wrongContentLength(+10));
    assertTrue(raw.head().contains("Content-Length: " + (SIZE + 10)), raw.head());
    assertEquals(SIZE, raw.body().length);
  }

  @Test
  void wrongContentLength_tooShort_clientReadsAShortBody() throws Exception {
    proxy.failNext("/blobs/", Fault.wrongContentLength(-10), 1);
    HttpResponse<byte[]> response = getBlob();
    assertEquals(SIZE - 10, response.body().length);
    RawResponse raw = rawGetWith(Fault.wrongContentLength(-10));
    assertTrue(raw.head().contains("Content-Length: " + (SIZE - 10)), raw.head());
    assertEquals(SIZE, raw.body().length, "the real body follows, then the connection closes");
  }

  @Test
  void rules_matchMethodAndPath_inOrder() throws Exception {
    proxy.failNext("HEAD", "/blobs/", Fault.serverError(), 1);
    proxy.failNext("/manifests/", Fault.serverError(), 1);
    assertEquals(200, getBlob().statusCode(), "a GET does not match a HEAD rule");
    assertEquals(2, proxy.pendingFaults());
    assertEquals(500, client().send(HttpRequest.newBuilder(blobUri)
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode());
    assertEquals(1, proxy.pendingFaults());
    proxy.clearFaults();
    assertEquals(0, proxy.pendingFaults());
  }

  // --- a raw client, to see exactly what is on the wire

  private record RawResponse(String head, byte[] body) {}

  private RawResponse rawGetWith(Fault fault) throws IOException {
    proxy.failNext("/blobs/", fault, 1);
    return rawGet(blobUri);
  }

  private static RawResponse rawGet(URI uri) throws IOException {
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":"
          + uri.getPort() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] all = in.readAllBytes();
      String text = new String(all, StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        throw new java.io.EOFException("connection closed after " + all.length + " bytes");
      }
      byte[] body = new byte[all.length - end - 4];
      System.arraycopy(all, end + 4, body, 0, body.length);
      return new RawResponse(text.substring(0, end), body);
    }
  }
}
