package io.mcpaudit.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile or broken input on the agent's HTTP listener: bodies that are not JSON-RPC reach the
 * server unchanged and are recorded as unparseable; oversized headers and stalled clients are cut
 * off by the listener's limits while every other client keeps being served. Loopback only.
 */
class HttpBadInputTest {
  private static final int MIB = 1024 * 1024;

  @TempDir
  Path dir;

  private final List<String> status = new CopyOnWriteArrayList<>();
  private final CollectingSink sink = new CollectingSink();
  private final HttpClient client = newClient();
  private final List<Server> upstreams = new ArrayList<>();
  private FakeUpstream upstream;
  private HttpAgent agent;

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
  }

  private void startAgent(String upstreamUrl, Map<String, String> extra) throws Exception {
    Map<String, String> options = new HashMap<>(Map.of(
        "kafka.bootstrap", "none", "agent.id", "http-bad-input", "server.name", "remote",
        "http.listen", "127.0.0.1:0", "http.upstream", upstreamUrl,
        "secrets.fingerprint-key", Base64.getEncoder().encodeToString(new byte[32])));
    options.putAll(extra);
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), options);
    AgentRuntime runtime = AgentRuntime.start(config, status::add, sink);
    agent = HttpAgent.create(runtime, status::add, Clock.systemUTC()).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    upstream.close();
    for (Server server : upstreams) {
      server.stop();
    }
  }

  private HttpResponse<String> post(String pathQuery, byte[] body, String... headers) throws Exception {
    return post(client, pathQuery, body, headers);
  }

  private HttpResponse<String> post(HttpClient with, String pathQuery, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(agent.url() + pathQuery))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .timeout(Duration.ofSeconds(20))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return with.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> ping(HttpClient with) throws Exception {
    return post(with, "/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}".getBytes(StandardCharsets.UTF_8));
  }

  /** A client of its own: a pooled connection may have been closed by the agent's idle timeout. */
  private static HttpClient newClient() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  /** A stand-in MCP server on loopback that accepts headers up to 64 KiB. */
  private String startUpstream(Handler handler) throws Exception {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(64 * 1024);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    server.setHandler(handler);
    server.start();
    upstreams.add(server);
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  private <T> List<T> await(Class<T> payload, Predicate<AuditEvent> where, int count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(15);
    List<T> found = List.of();
    while (Instant.now().isBefore(deadline)) {
      found = sink.events.stream().filter(where).map(AuditEvent::getPayload).filter(payload::isInstance)
          .map(payload::cast).toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("expected " + count + " " + payload.getSimpleName() + " events, got " + found.size());
  }

  private static Predicate<AuditEvent> session(String id) {
    return event -> event.getSessionId().equals(id);
  }

  @Test
  void bodiesThatAreNotJsonRpcReachTheServerUnchangedAndAreRecordedWithTheReason() throws Exception {
    startAgent(upstream.url(), Map.of());
    byte[] invalidUtf8 = {'{', '"', 'j', 's', 'o', 'n', 'r', 'p', 'c', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    byte[] deep = "[".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    byte[] truncated = "{\"jsonrpc\":\"2.0\",\"method\":".getBytes(StandardCharsets.UTF_8);
    for (byte[] body : List.of(invalidUtf8, deep, truncated)) {
      assertThat(post("/mcp", body, "Mcp-Session-Id", "bad-1").statusCode()).isEqualTo(202);
    }

    assertThat(upstream.received).extracting(FakeUpstream.Received::body)
        .containsExactly(invalidUtf8, deep, truncated);
    List<McpMessage> messages = await(McpMessage.class, session("bad-1"), 3);
    assertThat(messages).allSatisfy(m -> assertThat(m.getKind()).isEqualTo(MessageKind.UNPARSEABLE));
    assertThat(messages).extracting(McpMessage::getParseError).satisfiesExactly(
        utf8 -> assertThat(utf8).isEqualTo("invalid UTF-8 at byte 12"),
        nesting -> assertThat(nesting).contains("nesting depth (1001) exceeds the maximum allowed"),
        json -> assertThat(json).startsWith("malformed JSON: "));
    assertThat(messages).extracting(McpMessage::getSha256)
        .containsExactly(Hashes.sha256Hex(invalidUtf8), Hashes.sha256Hex(deep), Hashes.sha256Hex(truncated));
    assertThat(ping(client).statusCode()).isEqualTo(200);
    assertThat(status).noneMatch(line -> line.contains("event thread stopped"));
  }

  /**
   * {@code http.max-header-bytes} (32 KiB by default) bounds the request line and headers together;
   * headers within it reach the server unchanged.
   */
  @Test
  void headersLargerThanTheLimitGet431AndTheAgentKeepsServing() throws Exception {
    List<String> paddings = new CopyOnWriteArrayList<>();
    startAgent(startUpstream(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Content.Source.consumeAll(request);
        paddings.add(String.valueOf(request.getHeaders().get("X-Padding")));
        response.getHeaders().put("Content-Type", "application/json");
        Content.Sink.write(response, true, ByteBuffer.wrap("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"
            .getBytes(StandardCharsets.UTF_8)));
        callback.succeeded();
        return true;
      }
    }), Map.of());
    String host = "Host: 127.0.0.1:" + agent.port() + "\r\n";
    String oneHugeHeader = "POST /mcp HTTP/1.1\r\n" + host + "X-Padding: " + "a".repeat(40 * 1024) + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    StringBuilder manyHeaders = new StringBuilder("POST /mcp HTTP/1.1\r\n").append(host);
    for (int i = 0; i < 2_000; i++) {
      manyHeaders.append("X-H").append(i).append(": ").append("b".repeat(16)).append("\r\n");
    }
    manyHeaders.append("Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
    String hugeTarget = "GET /mcp?" + "q".repeat(40 * 1024) + " HTTP/1.1\r\n" + host + "\r\n";

    // Jetty's HTTP parser refuses these before any handler runs, and closes the connection.
    assertThat(rawExchange(oneHugeHeader)).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
    assertThat(ping(client).statusCode()).as("a normal request right after").isEqualTo(200);
    assertThat(rawExchange(manyHeaders.toString())).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
    assertThat(ping(client).statusCode()).isEqualTo(200);
    assertThat(rawExchange(hugeTarget)).startsWith("HTTP/1.1 414 URI Too Long");
    assertThat(ping(client).statusCode()).isEqualTo(200);
    assertThat(paddings).as("only the normal requests reached the server").containsExactly("null", "null", "null");

    String padding = "c".repeat(24 * 1024);
    HttpResponse<String> large = post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"
        .getBytes(StandardCharsets.UTF_8), "X-Padding", padding);
    assertThat(large.statusCode()).as("24 KiB of headers, under the limit").isEqualTo(200);
    assertThat(paddings.get(3)).isEqualTo(padding);
  }

  /**
   * Slowloris: clients that open connections and stall part-way through their headers or body.
   * Jetty's selector holds them without a thread each (there are more of them here than the
   * listener's 200 threads), so other clients are served meanwhile, and {@code http.idle-timeout}
   * closes each one once it has been silent that long (2 s here).
   */
  @Test
  void stalledClientsAreClosedAfterTheIdleTimeoutWhileOthersAreServed() throws Exception {
    startAgent(upstream.url(), Map.of("http.idle-timeout", "2s"));
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 250; i++) {
        Socket socket = new Socket("127.0.0.1", agent.port());
        String partial = i % 2 == 0
            ? "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + agent.port() + "\r\nX-Slow: "
            : "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:" + agent.port() + "\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1000\r\n\r\n{\"jsonrpc\":\"2.0\",";
        socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        stalled.add(socket);
      }

      for (int i = 0; i < 5; i++) {
        assertThat(ping(newClient()).statusCode()).as("served while 250 clients stall").isEqualTo(200);
      }

      Instant deadline = Instant.now().plusSeconds(20);
      for (Socket socket : stalled) {
        socket.setSoTimeout((int) Math.max(1, Duration.between(Instant.now(), deadline).toMillis()));
        assertThat(readUntilClosed(socket)).as("a stalled connection is closed by the agent").isNotNull();
      }
    } finally {
      for (Socket socket : stalled) {
        socket.close();
      }
    }
    assertThat(upstream.received).as("no stalled request reached the server").hasSize(5);
    assertThat(ping(newClient()).statusCode()).isEqualTo(200);
  }

  /**
   * A 100 MiB JSON answer through the proxy: streamed to the client byte for byte, recorded by size
   * and SHA-256 only (larger than {@code observe.max-message-bytes}). Hashed as it streams.
   */
  @Test
  void aHundredMebibyteResponseIsRelayedByteForByteAndRecordedBySizeAndHash() throws Exception {
    long textBytes = 100L * MIB;
    byte[] prefix = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\""
        .getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "\"}],\"isError\":false}}".getBytes(StandardCharsets.UTF_8);
    byte[] chunk = new byte[64 * 1024];
    Arrays.fill(chunk, (byte) 'a');
    String bigUpstream = startUpstream(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Content.Source.consumeAll(request);
        response.setStatus(200);
        response.getHeaders().put("Content-Type", "application/json");
        response.getHeaders().put("Mcp-Session-Id", "big-1");
        Content.Sink.write(response, false, ByteBuffer.wrap(prefix));
        for (long left = textBytes; left > 0; left -= chunk.length) {
          Content.Sink.write(response, false, ByteBuffer.wrap(chunk, 0, (int) Math.min(chunk.length, left)));
        }
        Content.Sink.write(response, true, ByteBuffer.wrap(suffix));
        callback.succeeded();
        return true;
      }
    });
    startAgent(bigUpstream, Map.of());

    MessageDigest expected = Hashes.sha256();
    expected.update(prefix);
    for (long left = textBytes; left > 0; left -= chunk.length) {
      expected.update(chunk, 0, (int) Math.min(chunk.length, left));
    }
    expected.update(suffix);
    String expectedSha256 = HexFormat.of().formatHex(expected.digest());
    long size = prefix.length + textBytes + suffix.length;

    HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(URI.create(agent.url() + "/mcp"))
        .header("Content-Type", "application/json").header("Mcp-Session-Id", "big-1")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"dump\",\"arguments\":{}}}")).build(), HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    MessageDigest received = Hashes.sha256();
    long receivedBytes = 0;
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[64 * 1024];
      int n;
      while ((n = body.read(buffer)) != -1) {
        received.update(buffer, 0, n);
        receivedBytes += n;
      }
    }
    assertThat(receivedBytes).isEqualTo(size);
    assertThat(HexFormat.of().formatHex(received.digest())).isEqualTo(expectedSha256);

    McpMessage result = await(McpMessage.class, event -> event.getPayload() instanceof McpMessage message
        && message.getDirection() == Direction.SERVER_TO_CLIENT, 1).get(0);
    assertThat(result.getKind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(result.getSizeBytes()).isEqualTo(size);
    assertThat(result.getSha256()).isEqualTo(expectedSha256);
    assertThat(result.getParseError()).contains("larger than the agent inspects; relayed unchanged");
  }

  /** Sends a raw request on its own connection and reads the answer until the agent closes it. */
  private String rawExchange(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", agent.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      try {
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException closedEarly) {
        // The agent may answer and close before it has read everything: the answer is still there.
      }
      String answer = readUntilClosed(socket);
      return answer == null ? "" : answer;
    }
  }

  /** What the agent sent before closing the connection; null if it did not close it in time. */
  private static String readUntilClosed(Socket socket) throws IOException {
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buffer)) != -1) {
        seen.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException reset) {
      // A reset after the answer also ends the connection.
    }
    return seen.toString(StandardCharsets.ISO_8859_1);
  }
}
