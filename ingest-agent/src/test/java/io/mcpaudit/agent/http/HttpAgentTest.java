package io.mcpaudit.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.Transport;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP proxy against a scripted upstream: what passes must pass unchanged (status, headers,
 * bytes, event by event), what is refused must never reach the upstream, and what is recorded
 * must name the right session and never hold a raw token.
 */
class HttpAgentTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JWT = jwt("{\"iss\":\"https://auth.example.com\",\"sub\":\"alice\","
      + "\"aud\":\"https://mcp.example.com\",\"scope\":\"files:read\",\"exp\":4102444800}");

  @TempDir
  Path dir;

  private final List<String> status = new CopyOnWriteArrayList<>();
  private final CollectingSink sink = new CollectingSink();
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private FakeUpstream upstream;
  private HttpAgent agent;
  private Path capture;

  private static String jwt(String claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + b64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + b64.encodeToString(new byte[32]);
  }

  @BeforeEach
  void start() throws Exception {
    upstream = new FakeUpstream();
    agent = startAgent(upstream.url(), Map.of());
  }

  private HttpAgent startAgent(String upstreamUrl, Map<String, String> extra) throws Exception {
    capture = dir.resolve("capture-" + System.nanoTime() + ".jsonl");
    Map<String, String> options = new HashMap<>(Map.of(
        "kafka.bootstrap", "none", "agent.id", "http-test", "server.name", "remote-files",
        "capture.file", capture.toString(), "http.listen", "127.0.0.1:0", "http.upstream", upstreamUrl,
        "http.max-request-bytes", "64KiB",
        "secrets.fingerprint-key", Base64.getEncoder().encodeToString(new byte[32])));
    options.putAll(extra);
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), options);
    AgentRuntime runtime = AgentRuntime.start(config, status::add, sink);
    return HttpAgent.create(runtime, status::add, Clock.systemUTC()).start();
  }

  @AfterEach
  void stop() throws Exception {
    if (agent != null) {
      agent.close();
    }
    upstream.close();
  }

  private URI at(String pathQuery) {
    return URI.create(agent.url() + pathQuery);
  }

  private HttpResponse<String> post(String pathQuery, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(at(pathQuery))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
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
    throw new AssertionError("expected " + count + " " + payload.getSimpleName() + " events, got " + found.size()
        + "; all events: " + sink.events.stream().map(e -> e.getPayload().getClass().getSimpleName()).toList());
  }

  private List<AuditEvent> inSession(String session) {
    return sink.events.stream().filter(e -> e.getSessionId().equals(session)).toList();
  }

  private static Predicate<AuditEvent> session(String id) {
    return event -> event.getSessionId().equals(id);
  }

  @Test
  void initializeTakesItsSessionFromTheResponseAndEverythingPassesUnchanged() throws Exception {
    String initialize = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
        + "\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test-client\",\"version\":\"1\"}}}";
    HttpResponse<String> response = post("/mcp", initialize, "Authorization", "Bearer " + JWT, "X-Custom", "kept");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Mcp-Session-Id")).contains("sess-1");
    assertThat(response.headers().firstValue("X-Upstream")).contains("yes");
    // The server's own Server and Date headers, once: the proxy adds none of its own.
    assertThat(response.headers().allValues("Server")).containsExactly("Jetty(12.1.14)");
    assertThat(response.headers().allValues("Date")).hasSize(1);
    assertThat(response.body()).isEqualTo("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"protocolVersion\":\"2025-11-25\","
        + "\"capabilities\":{\"tools\":{}},\"serverInfo\":{\"name\":\"fake\",\"version\":\"9\"}}}");
    FakeUpstream.Received received = upstream.received.get(0);
    assertThat(received.text()).isEqualTo(initialize);
    assertThat(received.headers().get("Authorization")).isEqualTo("Bearer " + JWT);
    assertThat(received.headers().get("X-Custom")).isEqualTo("kept");
    assertThat(received.headers().get("Host")).isEqualTo("127.0.0.1:" + upstream.port());
    assertThat(received.headers().get("Via")).isNull();
    assertThat(received.headers().get("Forwarded")).isNull();

    List<McpMessage> messages = await(McpMessage.class, session("sess-1"), 2);
    assertThat(messages).extracting(McpMessage::getDirection)
        .containsExactly(Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT);
    assertThat(messages).extracting(McpMessage::getMethod).containsOnly("initialize");
    TokenPresented token = await(TokenPresented.class, session("sess-1"), 1).get(0);
    assertThat(token.getFingerprint()).hasSize(64);
    assertThat(token.getClaims().getSub()).isEqualTo("alice");
    assertThat(token.getClaims().getScope()).containsExactly("files:read");
    assertThat(token.getResource()).isEqualTo(upstream.url());
    assertThat(await(SessionStarted.class, session("sess-1"), 1).get(0).getProtocolVersion()).isEqualTo("2025-11-25");
    AuditEvent first = inSession("sess-1").get(0);
    assertThat(first.getTransport()).isEqualTo(Transport.STREAMABLE_HTTP);
    assertThat(first.getClient().getAddress()).isEqualTo("127.0.0.1");
    assertThat(first.getClient().getUser()).isEqualTo("alice");
    assertThat(first.getServer().getName()).isEqualTo("remote-files");
    assertThat(first.getServer().getUrl()).isEqualTo(upstream.url());

    // The same token on the next request of the session is not reported again.
    post("/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Mcp-Session-Id", "sess-1",
        "Authorization", "Bearer " + JWT);
    await(McpMessage.class, session("sess-1"), 3);
    assertThat(inSession("sess-1").stream().filter(e -> e.getPayload() instanceof TokenPresented)).hasSize(1);

    agent.close();
    agent = null;
    String recorded = Files.readString(capture);
    assertThat(recorded).doesNotContain(JWT).doesNotContain(JWT.substring(0, JWT.indexOf('.')) + "." );
    List<JsonNode> lines = recorded.lines().map(line -> {
      try {
        return JSON.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }).toList();
    JsonNode request = lines.get(0);
    assertThat(request.path("session").asText()).isEqualTo("sess-1");
    assertThat(request.path("transport").asText()).isEqualTo("streamable-http");
    assertThat(request.path("http").path("method").asText()).isEqualTo("POST");
    assertThat(request.path("http").path("headers").path("x-custom").asText()).isEqualTo("kept");
    assertThat(request.path("http").path("headers").has("authorization")).isFalse();
    assertThat(request.path("token").path("claims").path("sub").asText()).isEqualTo("alice");
    assertThat(lines.get(1).path("http").path("status").asInt()).isEqualTo(200);
    assertThat(lines.get(1).path("message").path("result").path("serverInfo").path("name").asText()).isEqualTo("fake");
  }

  @Test
  void anEventStreamReachesTheClientEventByEventWhileTheServerIsStillWorking() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(at("/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .header("Mcp-Session-Id", "sess-2")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
            + "\"params\":{\"name\":\"slow\",\"arguments\":{\"n\":1}}}"))
        .build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
    List<String> lines = new ArrayList<>();
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
        if (line.contains("notifications/message")) {
          // The server sends the result only after this: a buffering proxy would never get here in time.
          upstream.firstEventSeen.countDown();
        }
      }
    }
    assertThat(upstream.secondEventWaitedForClient).as("the client saw the first event before the last was sent")
        .isTrue();
    assertThat(lines).containsExactly("id: 1", "data: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\","
        + "\"params\":{\"level\":\"info\",\"data\":\"working\"}}", "", "id: 2", "data: {\"jsonrpc\":\"2.0\",\"id\":2,"
        + "\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"done\"}],\"isError\":false}}", "");

    ToolCallRequested call = await(ToolCallRequested.class, session("sess-2"), 1).get(0);
    assertThat(call.getToolName()).isEqualTo("slow");
    ToolCallCompleted done = await(ToolCallCompleted.class, session("sess-2"), 1).get(0);
    assertThat(done.getContent().getText()).isEqualTo("done");
    assertThat(await(McpMessage.class, session("sess-2"), 3)).extracting(McpMessage::getKind)
        .containsExactly(MessageKind.REQUEST, MessageKind.NOTIFICATION, MessageKind.RESULT);
  }

  @Test
  void aGetStreamIsResumedWithLastEventIdAndItsMessagesRecorded() throws Exception {
    HttpResponse<String> response = client.send(HttpRequest.newBuilder(at("/mcp"))
        .header("Accept", "text/event-stream").header("Mcp-Session-Id", "sess-3").header("Last-Event-ID", "9")
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("id: 10\ndata:\n\nid: 11\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
        + "\"notifications/tools/list_changed\"}\n\n");
    assertThat(upstream.received.get(0).headers().get("Last-Event-ID")).isEqualTo("9");
    McpMessage notification = await(McpMessage.class, session("sess-3"), 1).get(0);
    assertThat(notification.getMethod()).isEqualTo("notifications/tools/list_changed");
    assertThat(notification.getDirection()).isEqualTo(Direction.SERVER_TO_CLIENT);
  }

  @Test
  void deleteAndAnExpiredSessionEndTheSessionOnce() throws Exception {
    HttpResponse<String> deleted = client.send(HttpRequest.newBuilder(at("/mcp")).header("Mcp-Session-Id", "sess-4")
        .DELETE().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(deleted.statusCode()).isEqualTo(200);
    assertThat(await(SessionEnded.class, session("sess-4"), 1).get(0).getReason()).contains("DELETE");

    for (int i = 0; i < 2; i++) {
      HttpResponse<String> gone = post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"ping\"}",
          "Mcp-Session-Id", "gone");
      assertThat(gone.statusCode()).isEqualTo(404);
      assertThat(gone.body()).isEqualTo("{\"error\":\"no such session\"}");
    }
    await(McpMessage.class, session("gone"), 2);
    assertThat(await(SessionEnded.class, session("gone"), 1).get(0).getReason()).contains("404");
    Thread.sleep(200);
    assertThat(inSession("gone").stream().filter(e -> e.getPayload() instanceof SessionEnded)).hasSize(1);
  }

  @Test
  void authorizationChallengesPassThroughAndBecomeScopeChanges() throws Exception {
    HttpResponse<String> unauthorized = post("/protected", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"mcp\", "
        + "resource_metadata=\"" + upstream.url() + "/.well-known/oauth-protected-resource\", scope=\"files:read\"");
    HttpResponse<String> forbidden = post("/admin", "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"rm\"}}", "Authorization", "Bearer " + JWT);
    assertThat(forbidden.statusCode()).isEqualTo(403);

    List<ScopeChanged> scopes = await(ScopeChanged.class, event -> true, 2);
    assertThat(scopes.get(0).getHttpStatus()).isEqualTo(401);
    assertThat(scopes.get(0).getRequested()).containsExactly("files:read");
    assertThat(scopes.get(0).getMetadataUrl()).isEqualTo(upstream.url() + "/.well-known/oauth-protected-resource");
    assertThat(scopes.get(0).getChallenge()).isNull();
    assertThat(scopes.get(1).getHttpStatus()).isEqualTo(403);
    assertThat(scopes.get(1).getChallenge()).isEqualTo("insufficient_scope");
    assertThat(scopes.get(1).getRequested()).containsExactly("files:read", "files:write");
  }

  @Test
  void protectedResourceMetadataPassesThroughAndIsRecorded() throws Exception {
    HttpResponse<String> metadata = client.send(HttpRequest.newBuilder(at("/.well-known/oauth-protected-resource"))
        .GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(metadata.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(metadata.body()).path("scopes_supported").size()).isEqualTo(2);
    ScopeChanged discovered = await(ScopeChanged.class, event -> true, 1).get(0);
    assertThat(discovered.getResource()).isEqualTo(upstream.url());
    assertThat(discovered.getMetadataUrl()).isEqualTo(upstream.url() + "/.well-known/oauth-protected-resource");
    assertThat(sink.events.stream().filter(e -> e.getPayload() instanceof McpMessage)).isEmpty();
  }

  @Test
  void oversizedBodiesAndForeignHostsOrOriginsAreRefusedBeforeTheServer() throws Exception {
    String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":{\"p\":\"" + "a".repeat(70_000) + "\"}}";
    HttpResponse<String> tooLarge = post("/mcp", big);
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(JSON.readTree(tooLarge.body()).path("error").path("message").asText())
        .contains("larger than this agent accepts (65536 bytes)").contains("http.max-request-bytes");

    // The same without Content-Length (chunked): refused while reading, still before anything is sent on.
    HttpResponse<String> chunked = client.send(HttpRequest.newBuilder(at("/mcp"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(
            big.getBytes(StandardCharsets.UTF_8)))).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(chunked.statusCode()).isEqualTo(413);

    HttpResponse<String> origin = post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        "Origin", "https://attacker.example");
    assertThat(origin.statusCode()).isEqualTo(403);
    assertThat(JSON.readTree(origin.body()).path("error").path("message").asText())
        .contains("Origin 'https://attacker.example' is not allowed");

    String rawHost = rawRequest("POST /mcp HTTP/1.1\r\nHost: attacker.example:" + agent.port() + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
    assertThat(rawHost).startsWith("HTTP/1.1 403").contains("Host 'attacker.example:" + agent.port()
        + "' is not allowed");

    assertThat(upstream.received).isEmpty();
    assertThat(agent.refusedRequests()).isEqualTo(4);
    assertThat(post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}", "Origin", "http://localhost:6274")
        .statusCode()).isEqualTo(200);
  }

  @Test
  void theOlderHttpSseTransportKeepsItsSessionAcrossStreamAndPosts() throws Exception {
    HttpResponse<InputStream> stream = client.send(HttpRequest.newBuilder(at("/sse")).header("Accept",
        "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    assertThat(reader.readLine()).isEqualTo("event: endpoint");
    assertThat(reader.readLine()).isEqualTo("data: /messages?sessionId=L1");
    assertThat(reader.readLine()).isEmpty();
    HttpResponse<String> accepted = post("/messages?sessionId=L1", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":"
        + "\"initialize\",\"params\":{\"protocolVersion\":\"2024-11-05\",\"capabilities\":{},\"clientInfo\":"
        + "{\"name\":\"old-client\",\"version\":\"1\"}}}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    List<String> rest = new ArrayList<>();
    String line;
    while ((line = reader.readLine()) != null) {
      rest.add(line);
    }
    assertThat(rest.get(0)).isEqualTo("event: message");

    List<McpMessage> messages = await(McpMessage.class, session("L1"), 2);
    assertThat(messages).extracting(McpMessage::getDirection)
        .containsExactly(Direction.CLIENT_TO_SERVER, Direction.SERVER_TO_CLIENT);
    assertThat(inSession("L1")).allSatisfy(event -> assertThat(event.getTransport()).isEqualTo(Transport.SSE));
    assertThat(await(SessionEnded.class, session("L1"), 1).get(0).getReason()).contains("event stream closed");
    assertThat(inSession("L1").get(inSession("L1").size() - 1).getClient().getAgent()).isEqualTo("old-client");
  }

  @Test
  void withoutASessionHeaderTheConnectionIsTheSessionAndClosingItEndsIt() throws Exception {
    String body = "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/list\"}";
    String answer = rawRequest("POST /stateless HTTP/1.1\r\nHost: 127.0.0.1:" + agent.port() + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n"
        + body);
    assertThat(answer).startsWith("HTTP/1.1 200").endsWith("{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":{\"tools\":[]}}");
    List<McpMessage> messages = await(McpMessage.class, event -> event.getPayload() instanceof McpMessage, 2);
    String session = sink.events.stream().filter(e -> e.getPayload() instanceof McpMessage).findFirst().orElseThrow()
        .getSessionId();
    assertThat(session).matches("[0-9a-f-]{36}");
    assertThat(messages.get(1).getMethod()).isEqualTo("tools/list");
    assertThat(await(SessionEnded.class, session(session), 1).get(0).getReason()).isEqualTo("client connection closed");
  }

  @Test
  void bytesThatAreNotJsonRpcStillPassToAKnownMcpPathAndAreRecordedAsUnparseable() throws Exception {
    post("/mcp", "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", "Mcp-Session-Id", "sess-5");
    HttpResponse<String> garbage = post("/mcp", "{not json", "Mcp-Session-Id", "sess-5");
    assertThat(garbage.statusCode()).isEqualTo(202);
    assertThat(upstream.received.get(1).text()).isEqualTo("{not json");
    List<McpMessage> messages = await(McpMessage.class, session("sess-5"), 2);
    assertThat(messages.get(1).getKind()).isEqualTo(MessageKind.UNPARSEABLE);
  }

  @Test
  void anUnreachableServerGives502AndTheRequestIsStillRecorded() throws Exception {
    agent.close();
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    agent = startAgent("http://127.0.0.1:" + closed, Map.of());
    HttpResponse<String> response = post("/mcp", "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}",
        "Mcp-Session-Id", "sess-6");
    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(await(McpMessage.class, session("sess-6"), 1).get(0).getMethod()).isEqualTo("ping");
  }

  private String rawRequest(String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", agent.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
  }

}
