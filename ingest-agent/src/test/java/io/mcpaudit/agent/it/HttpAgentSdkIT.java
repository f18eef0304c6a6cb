package io.mcpaudit.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.http.HttpAgent;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.Transport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MCP peers over HTTP through the agent: the official Java SDK client talks to an SDK
 * server once directly and once through the HTTP agent and must get the same answers, over
 * Streamable HTTP and over the older HTTP+SSE transport; event streams must reach the client
 * while the server is still working; a client that walks away mid-stream must not hurt the
 * agent; oversized and cross-origin requests must be refused before the server.
 */
class HttpAgentSdkIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final CollectingSink sink = new CollectingSink();
  private final List<String> status = new CopyOnWriteArrayList<>();
  private final List<AutoCloseable> open = new ArrayList<>();
  private Path capture;

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private <T extends AutoCloseable> T opened(T closeable) {
    open.add(closeable);
    return closeable;
  }

  private HttpAgent agentFor(String upstream, Map<String, String> extra) throws Exception {
    capture = dir.resolve("capture-" + System.nanoTime() + ".jsonl");
    Map<String, String> options = new HashMap<>(Map.of("kafka.bootstrap", "none", "agent.id", "http-it",
        "server.name", "sample-http", "capture.file", capture.toString(), "http.listen", "127.0.0.1:0",
        "http.upstream", upstream, "secrets.fingerprint-key", Base64.getEncoder().encodeToString(new byte[32])));
    options.putAll(extra);
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(), Map.of(), options);
    AgentRuntime runtime = AgentRuntime.start(config, status::add, sink);
    return opened(HttpAgent.create(runtime, status::add, Clock.systemUTC()).start());
  }

  private static McpSyncClient client(McpClientTransport transport,
                                      java.util.function.Consumer<McpSchema.LoggingMessageNotification> logs) {
    return McpClient.sync(transport)
        .clientInfo(new McpSchema.Implementation("it-http-client", "0.1"))
        .requestTimeout(Duration.ofSeconds(60))
        .initializationTimeout(Duration.ofSeconds(60))
        .loggingConsumer(logs)
        .build();
  }

  private static McpSyncClient streamable(String baseUrl) {
    return client(HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp").build(), log -> { });
  }

  private static McpSyncClient legacy(String baseUrl) {
    return client(HttpClientSseClientTransport.builder(baseUrl).sseEndpoint("/sse").build(), log -> { });
  }

  /** What a client sees of the sample server: server info, tools, tool results. */
  private static List<Object> converse(McpSyncClient client) {
    McpSchema.InitializeResult init = client.initialize();
    McpSchema.ListToolsResult tools = client.listTools();
    McpSchema.CallToolResult echo = client.callTool(new McpSchema.CallToolRequest("echo", Map.of("text", "héllo ✓")));
    McpSchema.CallToolResult sum = client.callTool(new McpSchema.CallToolRequest("add", Map.of("a", 2, "b", 40.5)));
    return List.of(init.serverInfo(), init.protocolVersion(), init.instructions(), tools.tools(), echo, sum);
  }

  private <T> List<T> await(Class<T> payload, Predicate<AuditEvent> where, int count) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(20);
    List<T> found = List.of();
    while (Instant.now().isBefore(deadline)) {
      found = sink.events.stream().filter(where).map(AuditEvent::getPayload).filter(payload::isInstance)
          .map(payload::cast).toList();
      if (found.size() >= count) {
        return found;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("expected " + count + " " + payload.getSimpleName() + " events, got " + found.size());
  }

  @Test
  void theSdkClientGetsTheSameAnswersOverStreamableHttpThroughTheAgent() throws Exception {
    SdkHttpServer server = opened(SdkHttpServer.streamableHttp());
    List<Object> direct;
    try (McpSyncClient client = streamable(server.baseUrl())) {
      direct = converse(client);
    }
    HttpAgent agent = agentFor(server.baseUrl(), Map.of());
    List<Object> proxied;
    try (McpSyncClient client = streamable(agent.url().toString())) {
      proxied = converse(client);
    }
    assertThat(proxied).isEqualTo(direct);

    ToolCallCompleted sum = await(ToolCallCompleted.class, event -> true, 2).get(1);
    assertThat(sum.getContent().getText()).contains("42.5");
    List<AuditEvent> calls = sink.events.stream().filter(e -> e.getPayload() instanceof ToolCallRequested).toList();
    String session = calls.get(0).getSessionId();
    assertThat(calls).extracting(AuditEvent::getSessionId).containsOnly(session);
    assertThat(calls.get(0).getTransport()).isEqualTo(Transport.STREAMABLE_HTTP);
    assertThat(calls.get(0).getClient().getAgent()).isEqualTo("it-http-client");
    assertThat(calls.get(0).getServer().getVersion()).isEqualTo("2.0.0");
    // The SDK client closes its session with DELETE.
    assertThat(await(SessionEnded.class, e -> e.getSessionId().equals(session), 1).get(0).getReason())
        .contains("DELETE");

    agent.close();
    List<JsonNode> lines = new ArrayList<>();
    for (String line : Files.readAllLines(capture)) {
      lines.add(JSON.readTree(line));
    }
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.path("message").path("method").asText()).isEqualTo("tools/call");
      assertThat(line.path("message").path("params").path("arguments").path("text").asText()).isEqualTo("héllo ✓");
      assertThat(line.path("session").asText()).isEqualTo(session);
    });
    assertThat(lines).noneSatisfy(line -> assertThat(line.has("unparseable")).isTrue());
  }

  @Test
  void theOlderHttpSseTransportGivesTheSameAnswersThroughTheAgent() throws Exception {
    SdkHttpServer server = opened(SdkHttpServer.legacySse());
    List<Object> direct;
    try (McpSyncClient client = legacy(server.baseUrl())) {
      direct = converse(client);
    }
    HttpAgent agent = agentFor(server.baseUrl(), Map.of());
    List<Object> proxied;
    try (McpSyncClient client = legacy(agent.url().toString())) {
      proxied = converse(client);
    }
    assertThat(proxied).isEqualTo(direct);
    await(ToolCallRequested.class, event -> true, 2);
    List<AuditEvent> calls = sink.events.stream().filter(e -> e.getPayload() instanceof ToolCallRequested).toList();
    assertThat(calls).allSatisfy(call -> assertThat(call.getTransport()).isEqualTo(Transport.SSE));
    String session = calls.get(0).getSessionId();
    assertThat(await(ToolCallCompleted.class, e -> e.getSessionId().equals(session), 2)).hasSize(2);
  }

  @Test
  void logNotificationsReachTheClientWhileTheToolIsStillRunning() throws Exception {
    SdkHttpServer server = opened(SdkHttpServer.streamableHttp());
    HttpAgent agent = agentFor(server.baseUrl(), Map.of());
    CountDownLatch clientSawFirst = new CountDownLatch(1);
    server.pacing.clientSawFirst = clientSawFirst;
    server.pacing.notifications = 3;
    List<String> seen = new CopyOnWriteArrayList<>();
    McpClientTransport transport = HttpClientStreamableHttpTransport.builder(agent.url().toString()).endpoint("/mcp")
        .build();
    try (McpSyncClient client = client(transport, log -> {
      seen.add(log.data());
      if (log.data().startsWith("step 1 ")) {
        clientSawFirst.countDown();
      }
    })) {
      client.initialize();
      client.setLoggingLevel(McpSchema.LoggingLevel.INFO);
      McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest("slow", Map.of()));
      assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo("slow done");
    }
    // The server sent its last event only after the client had the first one: nothing was held back.
    assertThat(server.pacing.lastWaitedForClient).isTrue();
    assertThat(seen).containsExactly("step 1 of 3", "step 2 of 3", "step 3 of 3");
    assertThat(await(McpMessage.class, e -> e.getPayload() instanceof McpMessage m
        && "notifications/message".equals(m.getMethod()), 3)).hasSize(3);
  }

  @Test
  void aClientThatDisconnectsMidStreamDoesNotHurtTheAgent() throws Exception {
    SdkHttpServer server = opened(SdkHttpServer.streamableHttp());
    HttpAgent agent = agentFor(server.baseUrl(), Map.of());
    server.pacing.notifications = 6;
    server.pacing.pauseMillis = 300;
    HttpClient http = HttpClient.newHttpClient();
    URI mcp = URI.create(agent.url() + "/mcp");
    HttpResponse<String> init = http.send(HttpRequest.newBuilder(mcp)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\","
            + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\","
            + "\"version\":\"1\"}}}")).build(), HttpResponse.BodyHandlers.ofString());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow();
    String version = JSON.readTree(init.body().contains("data:") ? init.body().substring(init.body().indexOf('{'))
        : init.body()).path("result").path("protocolVersion").asText();
    send(http, mcp, session, version, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
    send(http, mcp, session, version, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"logging/setLevel\",\"params\":"
        + "{\"level\":\"info\"}}");

    HttpResponse<InputStream> stream = http.send(request(mcp, session, version, "{\"jsonrpc\":\"2.0\",\"id\":3,"
        + "\"method\":\"tools/call\",\"params\":{\"name\":\"slow\",\"arguments\":{}}}"),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8));
    String line;
    while ((line = reader.readLine()) != null && !line.contains("step 1")) {
      // skip to the first notification
    }
    assertThat(line).contains("step 1 of 6");
    stream.body().close(); // walk away mid-stream

    // The agent keeps serving: a whole new conversation works and gives the usual answers.
    try (McpSyncClient client = streamable(agent.url().toString())) {
      List<Object> answers = converse(client);
      assertThat(((McpSchema.Implementation) answers.get(0)).name()).isEqualTo("sample-http-server");
    }
    assertThat(await(McpMessage.class, e -> e.getSessionId().equals(session) && e.getPayload() instanceof McpMessage m
        && "notifications/message".equals(m.getMethod()), 1)).isNotEmpty();
    assertThat(status).noneSatisfy(s -> assertThat(s).contains("observing HTTP traffic failed"));
  }

  @Test
  void oversizedAndCrossOriginRequestsAreRefusedBeforeTheServer() throws Exception {
    SdkHttpServer server = opened(SdkHttpServer.streamableHttp());
    HttpAgent agent = agentFor(server.baseUrl(), Map.of("http.max-request-bytes", "16KiB"));
    HttpClient http = HttpClient.newHttpClient();
    URI mcp = URI.create(agent.url() + "/mcp");
    String big = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\","
        + "\"capabilities\":{},\"clientInfo\":{\"name\":\"" + "x".repeat(20_000) + "\",\"version\":\"1\"}}}";
    HttpResponse<String> tooLarge = http.send(HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(big)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(tooLarge.body()).contains("larger than this agent accepts (16384 bytes)");

    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").header("Origin", "http://evil.example")
        .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(foreign.body()).contains("Origin 'http://evil.example' is not allowed");

    assertThat(server.requests).isEmpty();
    // An ordinary client is still served.
    try (McpSyncClient client = streamable(agent.url().toString())) {
      assertThat(client.initialize().serverInfo().name()).isEqualTo("sample-http-server");
    }
    assertThat(server.requests).isNotEmpty();
  }

  private static HttpRequest request(URI mcp, String session, String version, String body) {
    return HttpRequest.newBuilder(mcp).header("Content-Type", "application/json")
        .header("Accept", "application/json, text/event-stream").header("Mcp-Session-Id", session)
        .header("MCP-Protocol-Version", version).POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }

  private static void send(HttpClient http, URI mcp, String session, String version, String body) throws Exception {
    HttpResponse<String> response = http.send(request(mcp, session, version, body), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(body + " -> " + response.body()).isLessThan(300);
  }
}
