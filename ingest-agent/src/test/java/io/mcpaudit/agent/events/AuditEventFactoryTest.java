package io.mcpaudit.agent.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mcpaudit.agent.emit.AvroEventCodec;
import io.mcpaudit.agent.mcp.CanonicalJson;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.agent.mcp.JsonRpcParser;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.agent.secrets.CredentialRedactor;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.ElicitationRequested;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.SamplingRequested;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.event.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditEventFactoryTest {
  private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
  private static final String GITHUB_PAT = "ghp_" + "x".repeat(36);

  private final JsonRpcParser parser = new JsonRpcParser();
  private final AuditEventFactory factory =
      new AuditEventFactory("agent-1", new TextRedaction(new CredentialRedactor(), 64 * 1024));
  private final SessionContext ctx =
      new SessionContext("s1", Transport.STDIO, null, null, List.of("npx", "server-files"), null, "alice");
  private final McpSession session = new McpSession("s1");

  private List<AuditEvent> see(Direction direction, String json, Instant at) {
    return factory.onFrame(ctx, session, at, direction, parser.parse(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static <T> T payload(List<AuditEvent> events, Class<T> type) {
    return events.stream().map(AuditEvent::getPayload).filter(type::isInstance).map(type::cast).findFirst()
        .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " in " + events));
  }

  @Test
  void theInitializeHandshakeStartsTheSessionWithBothSidesIdentities() {
    List<AuditEvent> request = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
        + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"sampling\":{}},"
        + "\"clientInfo\":{\"name\":\"claude-code\",\"version\":\"2.1\"}}}", T0);
    assertThat(request).hasSize(1);
    List<AuditEvent> response = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{"
        + "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{\"tools\":{\"listChanged\":true}},"
        + "\"serverInfo\":{\"name\":\"files\",\"version\":\"1.0.3\"},\"instructions\":\"Use read_file.\"}}",
        T0.plusMillis(20));

    SessionStarted started = payload(response, SessionStarted.class);
    assertThat(started.getProtocolVersion()).isEqualTo("2025-11-25");
    assertThat(started.getClientCapabilities()).isEqualTo("{\"sampling\":{}}");
    assertThat(started.getServerCapabilities()).isEqualTo("{\"tools\":{\"listChanged\":true}}");
    assertThat(started.getInstructions().getText()).isEqualTo("Use read_file.");
    AuditEvent last = response.get(response.size() - 1);
    assertThat(last.getServer().getName()).isEqualTo("files");
    assertThat(last.getServer().getVersion()).isEqualTo("1.0.3");
    assertThat(last.getClient().getAgent()).isEqualTo("claude-code");
    assertThat(last.getClient().getUser()).isEqualTo("alice");
    McpMessage message = payload(response, McpMessage.class);
    assertThat(message.getMethod()).as("a response names the method it answers").isEqualTo("initialize");
    assertThat(message.getKind()).isEqualTo(MessageKind.RESULT);
  }

  @Test
  void aToolCallIsAttributedToItsResultAndTimed() {
    String arguments = "{\"path\":\"/srv/a.md\",\"limit\":10}";
    List<AuditEvent> request = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":\"c-1\",\"method\":"
        + "\"tools/call\",\"params\":{\"name\":\"read_file\",\"arguments\":" + arguments + "}}", T0);
    ToolCallRequested requested = payload(request, ToolCallRequested.class);
    assertThat(requested.getToolName()).isEqualTo("read_file");
    assertThat(requested.getJsonRpcId()).isEqualTo("\"c-1\"");
    assertThat(requested.getArgumentsSha256())
        .isEqualTo(Hashes.sha256Hex("{\"limit\":10,\"path\":\"/srv/a.md\"}"));
    assertThat(requested.getArguments().getSha256()).isEqualTo(requested.getArgumentsSha256());

    List<AuditEvent> result = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":\"c-1\",\"result\":"
        + "{\"content\":[{\"type\":\"text\",\"text\":\"hello\"}],\"isError\":false}}", T0.plusMillis(180));
    ToolCallCompleted completed = payload(result, ToolCallCompleted.class);
    assertThat(completed.getToolName()).isEqualTo("read_file");
    assertThat(completed.getDurationMs()).isEqualTo(180L);
    assertThat(completed.getIsError()).isFalse();
    assertThat(completed.getContent().getText()).isEqualTo("hello");
    assertThat(session.pending(Direction.CLIENT_TO_SERVER).size()).isZero();
  }

  @Test
  void aToolErrorIsRecordedAsAFailedCompletion() {
    see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"rm\",\"arguments\":{}}}", T0);
    ToolCallCompleted completed = payload(see(Direction.SERVER_TO_CLIENT,
        "{\"jsonrpc\":\"2.0\",\"id\":4,\"error\":{\"code\":-32602,\"message\":\"Unknown tool: rm\"}}", T0),
        ToolCallCompleted.class);
    assertThat(completed.getIsError()).isTrue();
    assertThat(completed.getErrorCode()).isEqualTo(-32602);
    assertThat(completed.getToolName()).isEqualTo("rm");
  }

  @Test
  void aTenMebibyteResultIsCappedAndCarriesTheHashOfTheWholeText() {
    see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"dump\",\"arguments\":{}}}", T0);
    String big = "0123456789abcdef".repeat(10 * 1024 * 1024 / 16);
    List<AuditEvent> events = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":"
        + "{\"content\":[{\"type\":\"text\",\"text\":\"" + big + "\"}]}}", T0);
    ToolCallCompleted completed = payload(events, ToolCallCompleted.class);
    assertThat(completed.getContent().getTruncated()).isTrue();
    assertThat(completed.getContent().getText()).hasSize(64 * 1024);
    assertThat(completed.getContent().getOriginalBytes()).isEqualTo(10L * 1024 * 1024);
    assertThat(completed.getContent().getSha256()).isEqualTo(Hashes.sha256Hex(big));
    McpMessage message = payload(events, McpMessage.class);
    assertThat(message.getSizeBytes()).isGreaterThan(10L * 1024 * 1024);
  }

  @Test
  void toolsListedCarriesCanonicalDefinitionHashes() {
    see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}", T0);
    ToolsListed listed = payload(see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"tools\":["
        + "{\"name\":\"delete_file\",\"description\":\"Deletes\",\"inputSchema\":{\"type\":\"object\",\"properties\":{}},"
        + "\"annotations\":{\"destructiveHint\":true}}],\"nextCursor\":\"n2\"}}", T0), ToolsListed.class);
    assertThat(listed.getTools()).hasSize(1);
    assertThat(listed.getTools().get(0).getAnnotations().getDestructiveHint()).isTrue();
    assertThat(listed.getTools().get(0).getInputSchema()).isEqualTo("{\"properties\":{},\"type\":\"object\"}");
    assertThat(listed.getTools().get(0).getDefinitionHash()).hasSize(64);
    assertThat(listed.getNextCursor()).isEqualTo("n2");
  }

  @Test
  void theStatelessRevisionStartsASessionFromRequestMetaAndReadsInputRequests() {
    List<AuditEvent> request = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"deploy\",\"arguments\":{},\"_meta\":{"
        + "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","
        + "\"io.modelcontextprotocol/clientCapabilities\":{\"elicitation\":{}},"
        + "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"cursor\",\"version\":\"3\"}}}}", T0);
    assertThat(payload(request, SessionStarted.class).getProtocolVersion()).isEqualTo("2026-07-28");
    assertThat(payload(request, McpMessage.class).getProtocolVersion()).isEqualTo("2026-07-28");
    assertThat(request.get(0).getClient().getAgent()).isEqualTo("cursor");

    List<AuditEvent> inputRequired = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{"
        + "\"resultType\":\"input_required\",\"inputRequests\":{"
        + "\"confirm\":{\"method\":\"elicitation/create\",\"params\":{\"mode\":\"form\",\"message\":\"Deploy to prod?\","
        + "\"requestedSchema\":{\"type\":\"object\"}}},"
        + "\"draft\":{\"method\":\"sampling/createMessage\",\"params\":{\"messages\":[{\"role\":\"user\","
        + "\"content\":{\"type\":\"text\",\"text\":\"Summarise\"}}],\"maxTokens\":200}}}}}", T0);
    assertThat(payload(inputRequired, McpMessage.class).getResultType()).isEqualTo("input_required");
    ElicitationRequested elicitation = payload(inputRequired, ElicitationRequested.class);
    assertThat(elicitation.getJsonRpcId()).isEqualTo("1#confirm");
    assertThat(elicitation.getMessage().getText()).isEqualTo("Deploy to prod?");
    SamplingRequested sampling = payload(inputRequired, SamplingRequested.class);
    assertThat(sampling.getMessages().getText()).isEqualTo("user: Summarise");
    assertThat(sampling.getMaxTokens()).isEqualTo(200);
    assertThat(inputRequired).noneMatch(event -> event.getPayload() instanceof ToolCallCompleted);
  }

  @Test
  void aBatchGetsOneEnvelopeAndOneMessagePerElement() {
    List<AuditEvent> events = see(Direction.CLIENT_TO_SERVER, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"},"
        + "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}]", T0);
    assertThat(events).extracting(e -> ((McpMessage) e.getPayload()).getKind())
        .containsExactly(MessageKind.BATCH, MessageKind.REQUEST, MessageKind.NOTIFICATION);
    assertThat(((McpMessage) events.get(0).getPayload()).getBatchSize()).isEqualTo(2);
  }

  @Test
  void unparseableBytesBecomeAnUnparseableMessage() {
    List<AuditEvent> events = see(Direction.SERVER_TO_CLIENT, "Listening on port 3000", T0);
    McpMessage message = payload(events, McpMessage.class);
    assertThat(message.getKind()).isEqualTo(MessageKind.UNPARSEABLE);
    assertThat(message.getParseError()).startsWith("malformed JSON");
    assertThat(message.getSizeBytes()).isEqualTo(22);
  }

  @Test
  void noRawSecretRemainsInTheAvroBytesOfTheEvents() {
    String args = "{\"url\":\"https://bob:" + "s3cr3tpassw0rd" + "@db.internal/x\",\"token\":\"" + GITHUB_PAT + "\"}";
    List<AuditEvent> events = new java.util.ArrayList<>(see(Direction.CLIENT_TO_SERVER,
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"fetch\",\"arguments\":" + args
            + "}}", T0));
    events.addAll(see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"content\":[{\"type\":"
        + "\"text\",\"text\":\"found AKIA" + "IOSFODNN7EXAMPLE in config\"}]}}", T0));
    events.addAll(see(Direction.SERVER_TO_CLIENT, "not json " + GITHUB_PAT, T0));
    AvroEventCodec codec = new AvroEventCodec();
    for (AuditEvent event : events) {
      String bytes = new String(codec.encode(event), StandardCharsets.ISO_8859_1);
      assertThat(bytes).doesNotContain(GITHUB_PAT).doesNotContain("s3cr3tpassw0rd")
          .doesNotContain("AKIA" + "IOSFODNN7EXAMPLE");
    }
    ToolCallRequested requested = payload(events, ToolCallRequested.class);
    assertThat(requested.getArguments().getRedactions()).contains("github-token", "url-password");
    assertThat(requested.getArgumentsSha256()).isEqualTo(CanonicalJson.sha256(new JsonRpcParser().parse(
        ("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\",\"params\":" + args + "}").getBytes(StandardCharsets.UTF_8))
        .messages().get(0).params()));
  }

  @Test
  void unknownProtocolVersionsAreRecordedAsSentAndTheMessagesStillRead() {
    see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{"
        + "\"protocolVersion\":\"1999-12-31\",\"capabilities\":{},\"clientInfo\":{\"name\":\"odd\",\"version\":\"0\"}}}",
        T0);
    List<AuditEvent> response = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":0,\"result\":{"
        + "\"protocolVersion\":\"2099-01-01\",\"capabilities\":{},\"serverInfo\":{\"name\":\"future\",\"version\":\"9\"}}}",
        T0);
    assertThat(payload(response, SessionStarted.class).getProtocolVersion()).isEqualTo("2099-01-01");
    List<AuditEvent> call = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/frobnicate\"}",
        T0);
    McpMessage message = payload(call, McpMessage.class);
    assertThat(message.getKind()).isEqualTo(MessageKind.REQUEST);
    assertThat(message.getMethod()).isEqualTo("tools/frobnicate");
    assertThat(message.getProtocolVersion()).isEqualTo("2099-01-01");

    // A stateless-revision request naming a revision nobody knows starts its session all the same.
    McpSession other = new McpSession("s2");
    List<AuditEvent> stateless = factory.onFrame(ctx, other, T0, Direction.CLIENT_TO_SERVER, parser.parse((
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
            + "\"io.modelcontextprotocol/protocolVersion\":\"3000-01-01\"}}}").getBytes(StandardCharsets.UTF_8)));
    assertThat(payload(stateless, SessionStarted.class).getProtocolVersion()).isEqualTo("3000-01-01");
    assertThat(payload(stateless, McpMessage.class).getProtocolVersion()).isEqualTo("3000-01-01");
  }

  @Test
  void aDuplicateRequestIdIsRecordedEachTimeAndTheAnswerGoesToTheLatestRequest() {
    List<AuditEvent> first = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"read_file\",\"arguments\":{}}}", T0);
    List<AuditEvent> second = see(Direction.CLIENT_TO_SERVER, "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"delete_file\",\"arguments\":{}}}", T0.plusMillis(5));
    assertThat(payload(first, ToolCallRequested.class).getToolName()).isEqualTo("read_file");
    assertThat(payload(second, ToolCallRequested.class).getToolName()).isEqualTo("delete_file");
    assertThat(payload(first, McpMessage.class).getJsonRpcId()).isEqualTo("7");
    assertThat(payload(second, McpMessage.class).getJsonRpcId()).isEqualTo("7");
    assertThat(session.pending(Direction.CLIENT_TO_SERVER).size()).isEqualTo(1);

    // The string "7" is another id: it answers nothing.
    List<AuditEvent> stringId = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":\"7\",\"result\":"
        + "{\"content\":[]}}", T0.plusMillis(8));
    assertThat(stringId).noneMatch(event -> event.getPayload() instanceof ToolCallCompleted);
    assertThat(payload(stringId, McpMessage.class).getMethod()).isNull();

    List<AuditEvent> answer = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":"
        + "{\"content\":[{\"type\":\"text\",\"text\":\"deleted\"}]}}", T0.plusMillis(10));
    ToolCallCompleted completed = payload(answer, ToolCallCompleted.class);
    assertThat(completed.getToolName()).isEqualTo("delete_file");
    assertThat(completed.getDurationMs()).isEqualTo(5L);

    // A second answer to the same id finds no request left: recorded as a message, attributed to nothing.
    List<AuditEvent> again = see(Direction.SERVER_TO_CLIENT, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":"
        + "{\"content\":[]}}", T0.plusMillis(12));
    assertThat(again).extracting(AuditEvent::getPayload).singleElement().isInstanceOf(McpMessage.class);
    assertThat(((McpMessage) again.get(0).getPayload()).getJsonRpcId()).isEqualTo("7");
  }

  @Test
  void aBatchOfToolCallsIsAttributedElementByElement() {
    List<AuditEvent> requests = see(Direction.CLIENT_TO_SERVER, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"a\",\"arguments\":{}}},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\","
        + "\"params\":{\"name\":\"b\",\"arguments\":{}}}]", T0);
    assertThat(requests).extracting(AuditEvent::getPayload).filteredOn(ToolCallRequested.class::isInstance)
        .extracting(p -> ((ToolCallRequested) p).getToolName()).containsExactly("a", "b");
    List<AuditEvent> results = see(Direction.SERVER_TO_CLIENT, "[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":{\"content\":[]}},"
        + "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32603,\"message\":\"boom\"}}]", T0);
    assertThat(results).extracting(AuditEvent::getPayload).filteredOn(ToolCallCompleted.class::isInstance)
        .extracting(p -> ((ToolCallCompleted) p).getToolName(), p -> ((ToolCallCompleted) p).getIsError())
        .containsExactly(tuple("b", false), tuple("a", true));
    McpMessage envelope = (McpMessage) results.get(0).getPayload();
    assertThat(envelope.getKind()).isEqualTo(MessageKind.BATCH);
    assertThat(envelope.getBatchSize()).isEqualTo(2);
  }
}
