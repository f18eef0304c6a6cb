package io.mcpaudit.agent.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.mcpaudit.agent.mcp.CanonicalJson;
import io.mcpaudit.agent.mcp.Hashes;
import io.mcpaudit.agent.mcp.JsonRpcMessage;
import io.mcpaudit.agent.mcp.McpFrame;
import io.mcpaudit.agent.mcp.McpSession;
import io.mcpaudit.agent.mcp.PendingRequest;
import io.mcpaudit.agent.mcp.ToolDefinitionHash;
import io.mcpaudit.agent.secrets.TextRedaction;
import io.mcpaudit.agent.secrets.TokenClaimsView;
import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditGapReported;
import io.mcpaudit.event.Decision;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.ElicitationRequested;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.PromptGet;
import io.mcpaudit.event.RedactedText;
import io.mcpaudit.event.ResourceRead;
import io.mcpaudit.event.SamplingRequested;
import io.mcpaudit.event.ScopeChanged;
import io.mcpaudit.event.ServerIdentity;
import io.mcpaudit.event.ServerLaunched;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.event.SessionStarted;
import io.mcpaudit.event.TokenClaims;
import io.mcpaudit.event.TokenPresented;
import io.mcpaudit.event.ToolAnnotations;
import io.mcpaudit.event.ToolCallCompleted;
import io.mcpaudit.event.ToolCallRequested;
import io.mcpaudit.event.ToolDefinition;
import io.mcpaudit.event.ToolsListed;
import io.mcpaudit.event.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Builds the audit events for what the agent saw: one {@link McpMessage} for every
 * message, plus the typed payloads (session start, tool listings and calls, resource
 * reads, prompts, sampling, elicitation) that detections read. Events come out
 * unchained (sequence 0, empty hashes); the event thread links them.
 *
 * <p>Every piece of untrusted text leaves through {@link TextRedaction}: credentials
 * are redacted and sizes capped, with the hash of the original kept.
 */
public final class AuditEventFactory {
  private final String agentId;
  private final TextRedaction redaction;

  public AuditEventFactory(String agentId, TextRedaction redaction) {
    this.agentId = agentId;
    this.redaction = redaction;
  }

  public String agentId() {
    return agentId;
  }

  public TextRedaction redaction() {
    return redaction;
  }

  /** Events for one wire unit: message envelopes and typed payloads, in wire order. */
  public List<AuditEvent> onFrame(SessionContext ctx, McpSession session, Instant time, Direction direction,
                                  McpFrame frame) {
    List<AuditEvent> events = new ArrayList<>(4);
    if (!frame.isParsed()) {
      events.add(event(ctx, session, time, McpMessage.newBuilder()
          .setDirection(direction)
          .setKind(MessageKind.UNPARSEABLE)
          .setProtocolVersion(session.protocolVersion())
          .setSizeBytes(frame.sizeBytes())
          .setSha256(frame.sha256())
          .setParseError(redaction.redactOnly(frame.parseError()))
          .build()));
      return events;
    }
    if (frame.isBatch()) {
      events.add(event(ctx, session, time, McpMessage.newBuilder()
          .setDirection(direction)
          .setKind(MessageKind.BATCH)
          .setProtocolVersion(session.protocolVersion())
          .setSizeBytes(frame.sizeBytes())
          .setSha256(frame.sha256())
          .setBatchSize(frame.messages().size())
          .build()));
    }
    for (JsonRpcMessage message : frame.messages()) {
      long size;
      String sha256;
      if (frame.isBatch()) {
        byte[] element = message.node().toString().getBytes(StandardCharsets.UTF_8);
        size = element.length;
        sha256 = Hashes.sha256Hex(element);
      } else {
        size = frame.sizeBytes();
        sha256 = frame.sha256();
      }
      onMessage(ctx, session, time, direction, message, size, sha256, events);
    }
    return events;
  }

  private void onMessage(SessionContext ctx, McpSession session, Instant time, Direction direction,
                         JsonRpcMessage message, long size, String sha256, List<AuditEvent> events) {
    Optional<PendingRequest> answered = Optional.empty();
    List<Object> payloads = new ArrayList<>(2);
    switch (message.kind()) {
      case REQUEST -> {
        session.requestSeen(direction, message, time);
        readRequestMeta(ctx, session, message, payloads);
        requestPayloads(session, direction, message, payloads);
      }
      case NOTIFICATION -> {
        readRequestMeta(ctx, session, message, payloads);
        if ("notifications/cancelled".equals(message.method()) && message.params() != null) {
          JsonNode requestId = message.params().get("requestId");
          if (requestId != null) {
            session.pending(direction).complete(requestId.toString());
          }
        }
      }
      case RESULT, ERROR -> {
        answered = session.responseSeen(direction, message);
        answered.ifPresent(request -> responsePayloads(session, direction, message, request, time, payloads));
      }
      default -> { }
    }
    String method = message.method() != null ? message.method() : answered.map(PendingRequest::method).orElse(null);
    String version = message.metaProtocolVersion() != null ? message.metaProtocolVersion() : session.protocolVersion();
    McpMessage envelope = McpMessage.newBuilder()
        .setDirection(direction)
        .setKind(message.kind())
        .setMethod(method)
        .setJsonRpcId(message.idText())
        .setErrorCode(message.errorCode())
        .setErrorMessage(message.errorMessage() == null ? null : redaction.redactOnly(message.errorMessage()))
        .setProtocolVersion(version)
        .setResultType(message.resultType())
        .setSizeBytes(size)
        .setSha256(sha256)
        .build();
    // Session start first, so a trace reads: started, then the message that started it.
    for (Object payload : payloads) {
      if (payload instanceof SessionStarted) {
        events.add(event(ctx, session, time, payload));
      }
    }
    events.add(event(ctx, session, time, envelope));
    for (Object payload : payloads) {
      if (!(payload instanceof SessionStarted)) {
        events.add(event(ctx, session, time, payload));
      }
    }
  }

  /** 2026-07-28: every request names its protocol revision, client and capabilities in _meta. */
  private void readRequestMeta(SessionContext ctx, McpSession session, JsonRpcMessage message, List<Object> payloads) {
    String version = message.metaProtocolVersion();
    if (version == null) {
      return;
    }
    session.protocolVersion(version);
    session.clientInfo(message.meta("clientInfo"));
    JsonNode capabilities = message.meta("clientCapabilities");
    if (!capabilities.isMissingNode()) {
      session.clientCapabilities(CanonicalJson.canonicalize(capabilities));
    }
    // server/discover is answered with the server's side: start the session with its result instead.
    if (!session.started() && message.isRequest() && !"server/discover".equals(message.method())) {
      session.markStarted();
      payloads.add(SessionStarted.newBuilder()
          .setProtocolVersion(version)
          .setClientCapabilities(session.clientCapabilities())
          .build());
    }
  }

  private void requestPayloads(McpSession session, Direction direction, JsonRpcMessage request, List<Object> payloads) {
    JsonNode params = request.params() == null ? JsonNodeFactory.instance.objectNode() : request.params();
    switch (request.method()) {
      case "initialize" -> {
        session.clientInfo(params.path("clientInfo"));
        if (params.path("protocolVersion").isTextual()) {
          session.protocolVersion(params.path("protocolVersion").textValue());
        }
        if (params.has("capabilities")) {
          session.clientCapabilities(CanonicalJson.canonicalize(params.get("capabilities")));
        }
      }
      case "tools/call" -> {
        JsonNode arguments = params.has("arguments") ? params.get("arguments") : JsonNodeFactory.instance.objectNode();
        String canonical = CanonicalJson.canonicalize(arguments);
        payloads.add(ToolCallRequested.newBuilder()
            .setJsonRpcId(request.idText())
            .setToolName(params.path("name").asText(""))
            .setArguments(redaction.apply(canonical))
            .setArgumentsSha256(Hashes.sha256Hex(canonical))
            .build());
      }
      case "sampling/createMessage" -> payloads.add(sampling(request.idText(), params));
      case "elicitation/create" -> payloads.add(elicitation(request.idText(), params, null));
      default -> { }
    }
  }

  private void responsePayloads(McpSession session, Direction direction, JsonRpcMessage response,
                                PendingRequest request, Instant time, List<Object> payloads) {
    JsonNode result = response.result();
    boolean error = response.kind() == MessageKind.ERROR;
    if (!error && "input_required".equals(response.resultType())) {
      inputRequests(request.idText(), result.path("inputRequests"), payloads);
      return;
    }
    switch (request.method()) {
      case "initialize", "server/discover" -> {
        if (error) {
          return;
        }
        session.serverInfo(result.path("serverInfo"));
        if (result.path("protocolVersion").isTextual()) {
          session.protocolVersion(result.path("protocolVersion").textValue());
        }
        JsonNode capabilities = result.get("capabilities");
        if (!session.started()) {
          session.markStarted();
          JsonNode instructions = result.get("instructions");
          payloads.add(SessionStarted.newBuilder()
              .setProtocolVersion(session.protocolVersion())
              .setClientCapabilities(session.clientCapabilities())
              .setServerCapabilities(capabilities == null ? null : CanonicalJson.canonicalize(capabilities))
              .setInstructions(instructions != null && instructions.isTextual()
                  ? redaction.apply(instructions.textValue()) : null)
              .build());
        }
      }
      case "tools/list" -> {
        if (!error) {
          payloads.add(toolsListed(response.idText(), result));
        }
      }
      case "tools/call" -> {
        ToolCallCompleted.Builder completed = ToolCallCompleted.newBuilder()
            .setJsonRpcId(response.idText())
            .setToolName(request.subject())
            .setDurationMs(request.millisUntil(time));
        if (error) {
          completed.setIsError(true).setErrorCode(response.errorCode())
              .setErrorMessage(response.errorMessage() == null ? null : redaction.redactOnly(response.errorMessage()));
        } else {
          completed.setIsError(result.path("isError").asBoolean(false))
              .setContent(redaction.apply(ContentText.toolResult(result)));
        }
        payloads.add(completed.build());
      }
      case "resources/read" -> {
        JsonNode contents = error ? null : result.path("contents");
        String mimeType = contents == null ? null : contents.path(0).path("mimeType").textValue();
        payloads.add(ResourceRead.newBuilder()
            .setJsonRpcId(response.idText())
            .setUri(redaction.redactOnly(request.subject() == null ? "" : request.subject()))
            .setMimeType(mimeType)
            .setContents(contents == null ? null : redaction.apply(ContentText.resourceContents(contents)))
            .setDurationMs(request.millisUntil(time))
            .build());
      }
      case "prompts/get" -> {
        JsonNode arguments = request.params() == null ? null : request.params().get("arguments");
        payloads.add(PromptGet.newBuilder()
            .setJsonRpcId(response.idText())
            .setName(request.subject() == null ? "" : request.subject())
            .setArguments(arguments == null ? null : redaction.apply(CanonicalJson.canonicalize(arguments)))
            .setMessages(error ? null : redaction.apply(ContentText.messages(result.path("messages"))))
            .build());
      }
      case "elicitation/create" -> {
        JsonNode params = request.params() == null ? JsonNodeFactory.instance.objectNode() : request.params();
        String action = error ? null : result.path("action").textValue();
        payloads.add(elicitation(response.idText(), params, action));
      }
      default -> { }
    }
  }

  /** 2026-07-28 multi round-trip: the server asks the client for input inside a result. */
  private void inputRequests(String idText, JsonNode inputRequests, List<Object> payloads) {
    if (!inputRequests.isObject()) {
      return;
    }
    inputRequests.fields().forEachRemaining(entry -> {
      JsonNode inner = entry.getValue();
      JsonNode params = inner.path("params");
      String id = idText + "#" + entry.getKey();
      switch (inner.path("method").asText("")) {
        case "sampling/createMessage" -> payloads.add(sampling(id, params));
        case "elicitation/create" -> payloads.add(elicitation(id, params, null));
        default -> { }
      }
    });
  }

  private SamplingRequested sampling(String idText, JsonNode params) {
    JsonNode systemPrompt = params.get("systemPrompt");
    JsonNode maxTokens = params.get("maxTokens");
    return SamplingRequested.newBuilder()
        .setJsonRpcId(idText)
        .setMessages(redaction.apply(ContentText.messages(params.path("messages"))))
        .setSystemPrompt(systemPrompt != null && systemPrompt.isTextual() ? redaction.apply(systemPrompt.textValue()) : null)
        .setIncludeContext(params.path("includeContext").textValue())
        .setMaxTokens(maxTokens != null && maxTokens.canConvertToInt() ? maxTokens.intValue() : null)
        .build();
  }

  private ElicitationRequested elicitation(String idText, JsonNode params, String action) {
    JsonNode schema = params.get("requestedSchema");
    String url = params.path("url").textValue();
    return ElicitationRequested.newBuilder()
        .setJsonRpcId(idText)
        .setMessage(redaction.apply(params.path("message").asText("")))
        .setMode(params.path("mode").textValue())
        .setUrl(url == null ? null : redaction.redactOnly(url))
        .setRequestedSchema(schema == null ? null : CanonicalJson.canonicalize(schema))
        .setAction(action)
        .build();
  }

  private ToolsListed toolsListed(String idText, JsonNode result) {
    List<ToolDefinition> tools = new ArrayList<>();
    for (JsonNode tool : result.path("tools")) {
      JsonNode annotations = tool.get("annotations");
      JsonNode description = tool.get("description");
      tools.add(ToolDefinition.newBuilder()
          .setName(tool.path("name").asText(""))
          .setTitle(tool.path("title").textValue())
          .setDescription(description != null && description.isTextual()
              ? redaction.redactOnly(description.textValue()) : null)
          .setInputSchema(tool.has("inputSchema") ? CanonicalJson.canonicalize(tool.get("inputSchema")) : null)
          .setOutputSchema(tool.has("outputSchema") ? CanonicalJson.canonicalize(tool.get("outputSchema")) : null)
          .setAnnotations(annotations != null && annotations.isObject() ? ToolAnnotations.newBuilder()
              .setTitle(annotations.path("title").textValue())
              .setReadOnlyHint(bool(annotations, "readOnlyHint"))
              .setDestructiveHint(bool(annotations, "destructiveHint"))
              .setIdempotentHint(bool(annotations, "idempotentHint"))
              .setOpenWorldHint(bool(annotations, "openWorldHint"))
              .build() : null)
          .setDefinitionHash(ToolDefinitionHash.of(tool))
          .build());
    }
    return ToolsListed.newBuilder()
        .setJsonRpcId(idText)
        .setTools(tools)
        .setNextCursor(result.path("nextCursor").textValue())
        .build();
  }

  private static Boolean bool(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value != null && value.isBoolean() ? value.booleanValue() : null;
  }

  public AuditEvent serverLaunched(SessionContext ctx, McpSession session, Instant time, LaunchInfo launch) {
    return event(ctx, session, time, ServerLaunched.newBuilder()
        .setCommand(redactedCommand(launch.command()))
        .setCwd(launch.cwd())
        .setExecutablePath(launch.executablePath())
        .setExecutableSha256(launch.executableSha256())
        .setEnvNames(launch.envNames())
        .setPid(launch.pid())
        .build());
  }

  public AuditEvent sessionEnded(SessionContext ctx, McpSession session, Instant time, String reason, Integer exitCode) {
    return event(ctx, session, time, SessionEnded.newBuilder().setReason(reason).setExitCode(exitCode).build());
  }

  public AuditEvent tokenPresented(SessionContext ctx, McpSession session, Instant time, TokenObservation token,
                                   String resource) {
    return event(ctx, session, time, TokenPresented.newBuilder()
        .setFingerprint(token.fingerprint())
        .setClaims(token.claims().map(AuditEventFactory::claims).orElse(null))
        .setResource(resource == null ? "" : resource)
        .build());
  }

  public AuditEvent scopeChanged(SessionContext ctx, McpSession session, Observation.Scope scope) {
    return event(ctx, session, scope.time(), ScopeChanged.newBuilder()
        .setGranted(scope.granted() == null ? List.of() : scope.granted())
        .setRequested(scope.requested() == null ? List.of() : scope.requested())
        .setResource(scope.resource())
        .setChallenge(scope.challenge())
        .setMetadataUrl(scope.metadataUrl())
        .setHttpStatus(scope.httpStatus())
        .build());
  }

  public AuditEvent approvalDecided(SessionContext ctx, McpSession session, Observation.Approval approval) {
    return event(ctx, session, approval.time(), ApprovalDecided.newBuilder()
        .setRequestId(approval.requestIdJson())
        .setTool(approval.tool())
        .setDecision(approval.approved() ? Decision.APPROVED : Decision.DENIED)
        .setApprover(approval.approver())
        .setArgumentsSha256(approval.argumentsSha256())
        .setDecidedInMs(approval.decidedInMs())
        .build());
  }

  /** The agent's own report that events were lost; it belongs to the agent, not to an MCP session. */
  public AuditEvent auditGap(Instant time, long lost, Long firstLostSequence, String reason) {
    return AuditEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setEventTime(time)
        .setAgentId(agentId)
        .setSequence(0)
        .setPreviousHash("")
        .setHash("")
        .setSessionId(agentSessionId())
        .setTransport(Transport.UNKNOWN)
        .setServer(ServerIdentity.newBuilder().setName("mcp-audit-agent").build())
        .setClient(ClientIdentity.newBuilder().build())
        .setPayload(AuditGapReported.newBuilder()
            .setLostEvents(lost)
            .setFirstLostSequence(firstLostSequence)
            .setReason(reason)
            .build())
        .build();
  }

  /** The session id under which the agent reports about itself. */
  public String agentSessionId() {
    return "agent:" + agentId;
  }

  static TokenClaims claims(TokenClaimsView view) {
    return TokenClaims.newBuilder()
        .setIss(view.iss())
        .setSub(view.sub())
        .setAud(view.aud())
        .setAzp(view.azp())
        .setClientId(view.clientId())
        .setScope(view.scope())
        .setIat(view.iat())
        .setExp(view.exp())
        .setNbf(view.nbf())
        .setJti(view.jti())
        .build();
  }

  private List<String> redactedCommand(List<String> command) {
    return command == null ? null : command.stream().map(redaction::redactOnly).toList();
  }

  /** The envelope around one payload, with the identities known so far. */
  AuditEvent event(SessionContext ctx, McpSession session, Instant time, Object payload) {
    return AuditEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setEventTime(time)
        .setAgentId(agentId)
        .setSequence(0)
        .setPreviousHash("")
        .setHash("")
        .setSessionId(ctx.sessionId())
        .setTransport(ctx.transport())
        .setServer(server(ctx, session))
        .setClient(client(ctx, session))
        .setPayload(payload)
        .build();
  }

  /** The server's name: the inventory name the agent was given, else serverInfo.name, else the command's program. */
  public static String serverName(SessionContext ctx, McpSession session) {
    if (ctx.configuredServerName() != null) {
      return ctx.configuredServerName();
    }
    if (session != null && session.serverName() != null) {
      return session.serverName();
    }
    if (ctx.serverCommand() != null && !ctx.serverCommand().isEmpty()) {
      String program = ctx.serverCommand().get(0);
      return program.substring(program.lastIndexOf('/') + 1);
    }
    return ctx.serverUrl() != null ? ctx.serverUrl() : "unknown";
  }

  ServerIdentity server(SessionContext ctx, McpSession session) {
    return ServerIdentity.newBuilder()
        .setName(serverName(ctx, session))
        .setUrl(ctx.serverUrl())
        .setCommand(redactedCommand(ctx.serverCommand()))
        .setVersion(session == null ? null : session.serverVersion())
        .build();
  }

  static ClientIdentity client(SessionContext ctx, McpSession session) {
    return ClientIdentity.newBuilder()
        .setAddress(ctx.clientAddress())
        .setUser(ctx.clientUser())
        .setAgent(session == null ? null : session.clientName())
        .setAgentVersion(session == null ? null : session.clientVersion())
        .build();
  }
}
