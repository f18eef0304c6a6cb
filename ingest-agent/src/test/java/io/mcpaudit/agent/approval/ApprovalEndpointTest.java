package io.mcpaudit.agent.approval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpaudit.agent.AgentRuntime;
import io.mcpaudit.agent.CollectingSink;
import io.mcpaudit.agent.config.AgentConfig;
import io.mcpaudit.agent.config.AgentConfigLoader;
import io.mcpaudit.agent.events.SessionContext;
import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Decision;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApprovalEndpointTest {
  private static final String SECRET = "approvals-secret-0123456789";
  private static final String HASH = "0f".repeat(32);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  private final CollectingSink sink = new CollectingSink();
  private final List<String> status = new CopyOnWriteArrayList<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private AgentRuntime runtime;
  private ApprovalEndpoint endpoint;
  private Path capture;

  @BeforeEach
  void start() throws Exception {
    capture = dir.resolve("capture.jsonl");
    AgentConfig config = new AgentConfigLoader(dir).load(Optional.empty(),
        Map.of("MCP_AUDIT_APPROVALS_TOKEN", SECRET), Map.of("kafka.bootstrap", "none", "agent.id", "approvals-test",
            "approvals.listen", "127.0.0.1:0", "capture.file", capture.toString()));
    runtime = AgentRuntime.start(config, status::add, sink);
    ApprovalEndpoint.Sessions sessions = reported -> {
      if (reported == null) {
        throw new IllegalArgumentException("required in HTTP mode");
      }
      return new SessionContext(reported, Transport.STREAMABLE_HTTP, "files", "https://mcp.example.com", null, null,
          null);
    };
    endpoint = ApprovalEndpoint.startIfConfigured(config.approvals(), runtime.trail(), sessions, Clock.systemUTC(),
        status::add);
  }

  @AfterEach
  void stop() throws Exception {
    endpoint.close();
    runtime.close();
  }

  private HttpResponse<String> post(String path, String body, String secret) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint.url() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    if (secret != null) {
      request.header("Authorization", "Bearer " + secret);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private <T> T awaitPayload(Class<T> type) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(10);
    while (Instant.now().isBefore(deadline)) {
      for (AuditEvent event : sink.events) {
        if (type.isInstance(event.getPayload())) {
          return type.cast(event.getPayload());
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no " + type.getSimpleName() + " event");
  }

  @Test
  void anApprovalFromTheHostBecomesAnApprovalDecidedEventAndACaptureLine() throws Exception {
    HttpResponse<String> response = post("/v1/approvals", "{\"session\":\"sess-9\",\"request_id\":7,"
        + "\"tool\":\"write_file\",\"decision\":\"approved\",\"approver\":\"alice@example.com\","
        + "\"arguments_sha256\":\"" + HASH + "\",\"decided_in_ms\":1800}", SECRET);
    assertThat(response.statusCode()).isEqualTo(202);
    assertThat(JSON.readTree(response.body()).path("session").asText()).isEqualTo("sess-9");

    ApprovalDecided approval = awaitPayload(ApprovalDecided.class);
    assertThat(approval.getRequestId()).isEqualTo("7");
    assertThat(approval.getTool()).isEqualTo("write_file");
    assertThat(approval.getDecision()).isEqualTo(Decision.APPROVED);
    assertThat(approval.getApprover()).isEqualTo("alice@example.com");
    assertThat(approval.getArgumentsSha256()).isEqualTo(HASH);
    assertThat(approval.getDecidedInMs()).isEqualTo(1800L);
    AuditEvent event = sink.events.get(0);
    assertThat(event.getSessionId()).isEqualTo("sess-9");
    assertThat(event.getServer().getName()).isEqualTo("files");

    runtime.close();
    JsonNode line = JSON.readTree(Files.readAllLines(capture).get(0));
    assertThat(line.path("kind").asText()).isEqualTo("approval");
    assertThat(line.path("approval").path("request_id").asInt()).isEqualTo(7);
    assertThat(line.path("approval").path("decision").asText()).isEqualTo("approved");
    assertThat(line.path("approval").path("decided_in_ms").asLong()).isEqualTo(1800);
  }

  @Test
  void aScopeGrantBecomesAScopeChangedEvent() throws Exception {
    HttpResponse<String> response = post("/v1/scopes", "{\"session\":\"sess-9\",\"granted\":[\"files:read\"],"
        + "\"requested\":[\"files:read\",\"files:write\"]}", SECRET);
    assertThat(response.statusCode()).isEqualTo(202);
    ScopeChanged scope = awaitPayload(ScopeChanged.class);
    assertThat(scope.getGranted()).containsExactly("files:read");
    assertThat(scope.getRequested()).containsExactly("files:read", "files:write");
    assertThat(scope.getResource()).isEqualTo("https://mcp.example.com");
  }

  @Test
  void withoutTheSecretNothingIsRecorded() throws Exception {
    String body = "{\"session\":\"s\",\"request_id\":1,\"tool\":\"t\",\"decision\":\"denied\",\"approver\":\"a\","
        + "\"arguments_sha256\":\"" + HASH + "\"}";
    HttpResponse<String> none = post("/v1/approvals", body, null);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"mcp-audit approvals\"");
    assertThat(JSON.readTree(none.body()).path("error").asText()).contains("bearer secret is required");
    assertThat(post("/v1/approvals", body, SECRET + "x").statusCode()).isEqualTo(401);
    assertThat(post("/v1/scopes", "{\"granted\":[\"a\"]}", "short").statusCode()).isEqualTo(401);
    Thread.sleep(200);
    assertThat(sink.events).isEmpty();
  }

  @Test
  void badInputGets400WithEveryReason() throws Exception {
    HttpResponse<String> bad = post("/v1/approvals", "{\"request_id\":true,\"decision\":\"yes\"}", SECRET);
    assertThat(bad.statusCode()).isEqualTo(400);
    JsonNode answer = JSON.readTree(bad.body());
    assertThat(answer.path("error").asText()).startsWith("the report was not recorded: request_id:");
    assertThat(answer.path("problems")).hasSizeGreaterThanOrEqualTo(5);

    HttpResponse<String> noSession = post("/v1/approvals", "{\"request_id\":1,\"tool\":\"t\",\"decision\":"
        + "\"denied\",\"approver\":\"a\",\"arguments_sha256\":\"" + HASH + "\"}", SECRET);
    assertThat(noSession.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(noSession.body()).path("problems").get(0).asText())
        .isEqualTo("session: required in HTTP mode");

    HttpResponse<String> notJson = client.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/v1/approvals"))
        .header("Authorization", "Bearer " + SECRET).header("Content-Type", "text/plain")
        .POST(HttpRequest.BodyPublishers.ofString("approved")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(notJson.statusCode()).isEqualTo(415);
    assertThat(post("/v1/approvals", "{\"pad\":\"" + "x".repeat(70_000) + "\"}", SECRET).statusCode()).isEqualTo(413);
    assertThat(post("/v1/other", "{}", SECRET).statusCode()).isEqualTo(404);
    Thread.sleep(200);
    assertThat(sink.events).isEmpty();
  }

  @Test
  void healthNeedsNoSecret() throws Exception {
    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(endpoint.url() + "/healthz")).GET()
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
  }
}
