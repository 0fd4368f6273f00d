package dev.minke.registry.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A reverse proxy on 127.0.0.1 in front of an HTTP registry: a client talks to
 * {@link #baseUri()} as if it were the registry, and the proxy passes each request on faithfully
 * unless a rule set by {@link #failNext} matches it; then it applies that {@link Fault}.
 *
 * <p>Faithful means: the request line, headers (Host included, so the registry's absolute
 * {@code Location} URLs point back at the proxy) and body go to the registry, one upstream
 * connection per request; the response status and headers come back as they were. Framing is
 * the proxy's own: request and response bodies are buffered whole and re-sent with a
 * {@code Content-Length} (never chunked); HEAD responses keep the registry's Content-Length.
 * Client connections are kept alive (HTTP/1.1) until a fault closes them or the client does.
 *
 * <p>Every request is logged ({@link #requests()}), whether faulted or not.
 */
public final class FaultProxy implements AutoCloseable {
  /**
   * One request the proxy read. {@code status} is what the client received (-1: nothing);
   * {@code forwarded} whether the registry saw the request; {@code responseBytes} how many body
   * bytes the client was sent; {@code fault} null when passed through faithfully.
   */
  public record Exchange(int sequence, String method, String target, List<String> requestHeaders,
      long requestBytes, boolean forwarded, int status, long responseBytes, Fault fault) {
    /** The target without its query. */
    public String path() {
      int query = target.indexOf('?');
      return query < 0 ? target : target.substring(0, query);
    }

    /** The first value of a request header, or null. */
    public String header(String name) {
      for (String line : requestHeaders) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private record Rule(String method, Pattern path, Fault fault, AtomicInteger remaining) {}

  private record Message(String startLine, List<String> headers, byte[] body, boolean keepAlive) {}

  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive",
      "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection", "http2-settings",
      "expect", "content-length");

  private final URI upstream;
  private final ServerSocket server;
  private final ExecutorService executor;
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private final List<Rule> rules = Collections.synchronizedList(new ArrayList<>());
  private final List<Exchange> log = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger sequence = new AtomicInteger();
  private volatile boolean closed;

  private FaultProxy(URI upstream) throws IOException {
    if (!"http".equals(upstream.getScheme())) {
      throw new IllegalArgumentException("FaultProxy forwards to http:// only: " + upstream);
    }
    this.upstream = upstream;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(Tools.LOOPBACK, 0));
    this.executor = Executors.newCachedThreadPool(runnable -> {
      Thread thread = new Thread(runnable, "minke-test-fault-proxy");
      thread.setDaemon(true);
      return thread;
    });
    executor.execute(this::acceptLoop);
  }

  /** A proxy on a free 127.0.0.1 port forwarding to {@code upstream} ({@code http://host:port}). */
  public static FaultProxy start(URI upstream) {
    try {
      return new FaultProxy(upstream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code 127.0.0.1:PORT}, the registry part of image references through the proxy. */
  public String hostPort() {
    return "127.0.0.1:" + port();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public URI baseUri() {
    return URI.create("http://" + hostPort());
  }

  public URI upstream() {
    return upstream;
  }

  /**
   * The next {@code times} requests whose path (without query) matches {@code pathRegex}
   * ({@code find()}, so {@code "/blobs/sha256:"} matches part of a path) get {@code fault}. Rules
   * apply in the order they were added; a request gets at most one fault.
   */
  public FaultProxy failNext(String pathRegex, Fault fault, int times) {
    return failNext(null, Pattern.compile(pathRegex), fault, times);
  }

  /** As {@link #failNext(String, Fault, int)}, for requests with this method only. */
  public FaultProxy failNext(String method, String pathRegex, Fault fault, int times) {
    return failNext(method, Pattern.compile(pathRegex), fault, times);
  }

  /** As {@link #failNext(String, Fault, int)}; {@code method} null means any. */
  public FaultProxy failNext(String method, Pattern path, Fault fault, int times) {
    if (times < 1) {
      throw new IllegalArgumentException("times must be at least 1: " + times);
    }
    rules.add(new Rule(method, path, fault, new AtomicInteger(times)));
    return this;
  }

  /** How many faults are still to be applied, over all rules. */
  public int pendingFaults() {
    synchronized (rules) {
      return rules.stream().mapToInt(rule -> rule.remaining().get()).sum();
    }
  }

  public void clearFaults() {
    rules.clear();
  }

  /** Every request read so far, oldest first. */
  public List<Exchange> requests() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  public void clearLog() {
    log.clear();
  }

  /** Stops listening and closes every client connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // Closing anyway.
    }
    for (Socket client : clients) {
      closeQuietly(client);
    }
    executor.shutdownNow();
  }

  // --- serving

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        clients.add(client);
        executor.execute(() -> serve(client));
      } catch (IOException e) {
        if (!closed) {
          e.printStackTrace();
        }
        return;
      } catch (RuntimeException e) {
        // Executor shut down by close().
        return;
      }
    }
  }

  private void serve(Socket client) {
    try {
      InputStream in = new BufferedInputStream(client.getInputStream());
      OutputStream out = new BufferedOutputStream(client.getOutputStream());
      while (!closed && exchange(in, out)) {
        // One request per round, until a fault or the client closes.
      }
    } catch (SocketException | EOFException e) {
      // The client went away, or a fault closed the connection.
    } catch (IOException e) {
      if (!closed) {
        e.printStackTrace();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      clients.remove(client);
      closeQuietly(client);
    }
  }

  /** Handles one request; false when the connection must close. */
  private boolean exchange(InputStream in, OutputStream out)
      throws IOException, InterruptedException {
    Message request = readRequest(in, out);
    if (request == null) {
      return false;
    }
    String[] line = request.startLine().split(" ", 3);
    if (line.length < 3) {
      return false;
    }
    String method = line[0];
    String target = line[1];
    int seq = sequence.incrementAndGet();
    Fault fault = match(method, target);

    if (fault instanceof Fault.DropRequest) {
      record(seq, method, target, request, false, -1, 0, fault);
      return false;
    }
    if (fault instanceof Fault.Status status) {
      byte[] body = ("{\"errors\":[{\"code\":\"" + errorCode(status.status())
          + "\",\"message\":\"injected by FaultProxy\",\"detail\":null}]}\n")
          .getBytes(StandardCharsets.UTF_8);
      List<String> headers = new ArrayList<>(List.of("Content-Type: application/json; charset=utf-8",
          "Docker-Distribution-Api-Version: registry/2.0"));
      if (status.retryAfter() != null) {
        headers.add("Retry-After: " + status.retryAfter().toSeconds());
      }
      writeHead(out, "HTTP/1.1 " + status.status() + " " + reason(status.status()), headers,
          "HEAD".equals(method) ? -1 : body.length, request.keepAlive());
      if (!"HEAD".equals(method)) {
        out.write(body);
      }
      out.flush();
      record(seq, method, target, request, false, status.status(),
          "HEAD".equals(method) ? 0 : body.length, fault);
      return request.keepAlive();
    }

    Message response = forward(method, target, request);
    int status = Integer.parseInt(response.startLine().split(" ", 3)[1]);
    byte[] body = response.body();
    boolean noBody = "HEAD".equals(method) || status == 204 || status == 304;
    boolean keepAlive = request.keepAlive();

    if (fault instanceof Fault.DropResponse) {
      record(seq, method, target, request, true, -1, 0, fault);
      return false;
    }
    if (fault instanceof Fault.Delay delay) {
      Thread.sleep(delay.delay().toMillis());
    }
    if (fault instanceof Fault.FlipByte flip && body.length > 0) {
      body = body.clone();
      int at = (int) (flip.offset() < 0 ? body.length / 2 : Math.min(flip.offset(), body.length - 1));
      body[at] = (byte) ~body[at];
    }
    long declared = noBody ? -1 : body.length;
    if (fault instanceof Fault.WrongContentLength wrong && !noBody) {
      declared = Math.max(0, body.length + wrong.delta());
      keepAlive = false;
    }
    boolean closesEarly = fault instanceof Fault.DropAfterHeaders || fault instanceof Fault.Truncate;
    if (closesEarly) {
      keepAlive = false;
    }
    List<String> headers = new ArrayList<>();
    for (String header : response.headers()) {
      String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
      boolean headContentLength = "HEAD".equals(method) && name.equalsIgnoreCase("content-length");
      if (headContentLength || !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
        headers.add(header);
      }
    }
    writeHead(out, response.startLine(), headers, declared, keepAlive);
    long sent = 0;
    if (noBody || fault instanceof Fault.DropAfterHeaders) {
      sent = 0;
    } else if (fault instanceof Fault.Truncate truncate) {
      long wanted = truncate.bytes() < 0 ? body.length / 2 : truncate.bytes();
      sent = Math.max(0, Math.min(wanted, body.length - 1L));
      out.write(body, 0, (int) sent);
    } else if (fault instanceof Fault.SlowBody slow) {
      int chunk = Math.max(1, slow.chunkBytes());
      for (int from = 0; from < body.length; from += chunk) {
        if (from > 0) {
          out.flush();
          Thread.sleep(slow.pause().toMillis());
        }
        int length = Math.min(chunk, body.length - from);
        out.write(body, from, length);
        sent += length;
      }
    } else {
      out.write(body);
      sent = body.length;
    }
    out.flush();
    record(seq, method, target, request, true, status, sent, fault);
    return keepAlive;
  }

  private Fault match(String method, String target) {
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    synchronized (rules) {
      for (Rule rule : rules) {
        if ((rule.method() == null || rule.method().equalsIgnoreCase(method))
            && rule.path().matcher(path).find()
            && rule.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          return rule.fault();
        }
      }
    }
    return null;
  }

  private void record(int seq, String method, String target, Message request, boolean forwarded,
      int status, long responseBytes, Fault fault) {
    log.add(new Exchange(seq, method, target, List.copyOf(request.headers()),
        request.body().length, forwarded, status, responseBytes, fault));
  }

  private Message forward(String method, String target, Message request) throws IOException {
    try (Socket socket = new Socket(upstream.getHost(), upstream.getPort())) {
      socket.setSoTimeout(120_000);
      OutputStream up = new BufferedOutputStream(socket.getOutputStream());
      List<String> headers = new ArrayList<>();
      for (String header : request.headers()) {
        String name = header.substring(0, Math.max(0, header.indexOf(':'))).trim();
        if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
          headers.add(header);
        }
      }
      boolean sendsLength = request.body().length > 0
          || header(request.headers(), "content-length") != null
          || header(request.headers(), "transfer-encoding") != null;
      if (sendsLength) {
        headers.add("Content-Length: " + request.body().length);
      }
      headers.add("Connection: close");
      StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\n");
      headers.forEach(h -> head.append(h).append("\r\n"));
      head.append("\r\n");
      up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      up.write(request.body());
      up.flush();

      InputStream in = new BufferedInputStream(socket.getInputStream());
      while (true) {
        String statusLine = readLine(in);
        if (statusLine == null) {
          throw new EOFException("upstream closed without a response to " + method + " " + target);
        }
        List<String> responseHeaders = readHeaders(in);
        int status = Integer.parseInt(statusLine.split(" ", 3)[1]);
        if (status >= 100 && status < 200) {
          continue;
        }
        byte[] body;
        if ("HEAD".equals(method) || status == 204 || status == 304) {
          body = new byte[0];
        } else {
          body = readBody(in, responseHeaders, true);
        }
        return new Message(statusLine, responseHeaders, body, false);
      }
    }
  }

  // --- HTTP/1.1 reading and writing

  /** Reads one request (answering {@code Expect: 100-continue}); null at a clean end of stream. */
  private static Message readRequest(InputStream in, OutputStream out) throws IOException {
    String startLine = readLine(in);
    while (startLine != null && startLine.isEmpty()) {
      startLine = readLine(in);
    }
    if (startLine == null) {
      return null;
    }
    List<String> headers = readHeaders(in);
    String expect = header(headers, "expect");
    if (expect != null && expect.equalsIgnoreCase("100-continue")) {
      out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    }
    byte[] body = readBody(in, headers, false);
    String connection = header(headers, "connection");
    boolean keepAlive = startLine.endsWith("HTTP/1.1")
        && (connection == null || !connection.toLowerCase(Locale.ROOT).contains("close"));
    return new Message(startLine, headers, body, keepAlive);
  }

  private static byte[] readBody(InputStream in, List<String> headers, boolean untilEof)
      throws IOException {
    String encoding = header(headers, "transfer-encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        if (sizeLine == null) {
          throw new EOFException("chunked body ended early");
        }
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt(
            (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          readHeaders(in); // trailers
          return body.toByteArray();
        }
        body.write(readExactly(in, size));
        readLine(in);
      }
    }
    String length = header(headers, "content-length");
    if (length != null) {
      return readExactly(in, Integer.parseInt(length.trim()));
    }
    return untilEof ? in.readAllBytes() : new byte[0];
  }

  private static byte[] readExactly(InputStream in, int length) throws IOException {
    byte[] bytes = in.readNBytes(length);
    if (bytes.length != length) {
      throw new EOFException("body ended after " + bytes.length + " of " + length + " bytes");
    }
    return bytes;
  }

  private static List<String> readHeaders(InputStream in) throws IOException {
    List<String> headers = new ArrayList<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      headers.add(line);
    }
    return headers;
  }

  /** A CRLF- (or LF-) terminated line in ISO-8859-1; null at end of stream before any byte. */
  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      if (b == '\n') {
        break;
      }
      line.write(b);
    }
    if (b == -1 && line.size() == 0) {
      return null;
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }

  private static String header(List<String> headers, String name) {
    for (String line : headers) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  /** Writes the status line, headers, a Content-Length (unless -1) and the Connection header. */
  private static void writeHead(OutputStream out, String statusLine, List<String> headers,
      long contentLength, boolean keepAlive) throws IOException {
    StringBuilder head = new StringBuilder(statusLine).append("\r\n");
    headers.forEach(h -> head.append(h).append("\r\n"));
    if (contentLength >= 0) {
      head.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static String errorCode(int status) {
    return switch (status) {
      case 429 -> "TOOMANYREQUESTS";
      case 401 -> "UNAUTHORIZED";
      case 403 -> "DENIED";
      case 404 -> "NAME_UNKNOWN";
      default -> "UNKNOWN";
    };
  }

  private static String reason(int status) {
    return switch (status) {
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 429 -> "Too Many Requests";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status";
    };
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway.
    }
  }

  @Override
  public String toString() {
    return "FaultProxy[" + baseUri() + " -> " + upstream + "]";
  }
}
