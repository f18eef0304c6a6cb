package io.mcpaudit.streams;

import io.mcpaudit.event.ApprovalDecided;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.ClientIdentity;
import io.mcpaudit.event.Decision;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.RedactedText;
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
import io.mcpaudit.schema.chain.EventHashChain;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Writes realistic event sequences for detector tests, as one agent would emit them. */
public final class Scenario {
  private final EventHashChain chain = new EventHashChain();
  private final List<AuditEvent> events = new ArrayList<>();
  private final String agentId;
  private Instant now = Instant.parse("2026-11-20T10:00:00Z");
  private String session = "s1";
  private String server = "files";
  private String serverUrl;
  private String user = "alice";
  private String clientAgent = "claude-code";
  private String address;
  private int nextId = 1;

  public Scenario(String agentId) {
    this.agentId = agentId;
  }

  public Scenario session(String session) {
    this.session = session;
    return this;
  }

  public Scenario server(String server) {
    this.server = server;
    return this;
  }

  public Scenario serverUrl(String url) {
    this.serverUrl = url;
    return this;
  }

  public Scenario user(String user) {
    this.user = user;
    return this;
  }

  public Scenario clientAgent(String agent) {
    this.clientAgent = agent;
    return this;
  }

  public Scenario address(String address) {
    this.address = address;
    return this;
  }

  public Scenario after(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  public Instant now() {
    return now;
  }

  public List<AuditEvent> events() {
    return List.copyOf(events);
  }

  public AuditEvent last() {
    return events.get(events.size() - 1);
  }

  public AuditEvent started() {
    return emit(SessionStarted.newBuilder().setProtocolVersion("2025-11-25").build());
  }

  public AuditEvent ended(String reason) {
    return emit(SessionEnded.newBuilder().setReason(reason).build());
  }

  public AuditEvent request(String method, String id, String bytesForHash) {
    return emit(McpMessage.newBuilder().setDirection(Direction.CLIENT_TO_SERVER).setKind(MessageKind.REQUEST)
        .setMethod(method).setJsonRpcId(id).setSizeBytes(bytesForHash.length()).setSha256(sha256(bytesForHash)).build());
  }

  public AuditEvent tools(ToolDefinition... tools) {
    return emit(ToolsListed.newBuilder().setJsonRpcId(String.valueOf(nextId++)).setTools(List.of(tools)).build());
  }

  public static ToolDefinition tool(String name, String description) {
    return ToolDefinition.newBuilder().setName(name).setDescription(description)
        .setInputSchema("{\"type\":\"object\"}").setDefinitionHash(sha256(name + "|" + description)).build();
  }

  public static ToolDefinition destructiveTool(String name, String description) {
    return ToolDefinition.newBuilder(tool(name, description))
        .setAnnotations(ToolAnnotations.newBuilder().setDestructiveHint(true).build()).build();
  }

  public static ToolDefinition readOnlyTool(String name, String description) {
    return ToolDefinition.newBuilder(tool(name, description))
        .setAnnotations(ToolAnnotations.newBuilder().setReadOnlyHint(true).build()).build();
  }

  /** A tools/call request; returns its JSON-RPC id. */
  public String call(String tool, String argumentsJson) {
    String id = String.valueOf(nextId++);
    emit(ToolCallRequested.newBuilder().setJsonRpcId(id).setToolName(tool)
        .setArguments(text(argumentsJson)).setArgumentsSha256(sha256(argumentsJson)).build());
    return id;
  }

  public AuditEvent result(String id, String tool, String text) {
    return emit(ToolCallCompleted.newBuilder().setJsonRpcId(id).setToolName(tool).setContent(text(text))
        .setDurationMs(12L).build());
  }

  public AuditEvent approval(String requestId, String tool, String argumentsJson, Decision decision, String approver,
                             long decidedInMs) {
    return emit(ApprovalDecided.newBuilder().setRequestId(requestId).setTool(tool).setDecision(decision)
        .setApprover(approver).setArgumentsSha256(sha256(argumentsJson)).setDecidedInMs(decidedInMs).build());
  }

  public AuditEvent token(String rawToken, String resource, TokenClaims claims) {
    return emit(TokenPresented.newBuilder().setFingerprint(sha256("key|" + rawToken)).setResource(resource)
        .setClaims(claims).build());
  }

  public AuditEvent scopes(List<String> granted) {
    return emit(ScopeChanged.newBuilder().setGranted(granted).build());
  }

  public AuditEvent launch(List<String> command, String executableSha256) {
    return emit(ServerLaunched.newBuilder().setCommand(command).setExecutableSha256(executableSha256).build());
  }

  /** An event that skips the chain: numbered as if {@code skipped} events were lost before it. */
  public AuditEvent afterLosing(int skipped) {
    for (int i = 0; i < skipped; i++) {
      chain.link(envelope(SessionEnded.newBuilder().setReason("lost").build()));
    }
    return request("ping", String.valueOf(nextId++), "{\"method\":\"ping\"}");
  }

  public AuditEvent emit(Object payload) {
    AuditEvent event = chain.link(envelope(payload));
    events.add(event);
    now = now.plusMillis(100);
    return event;
  }

  private AuditEvent envelope(Object payload) {
    return AuditEvent.newBuilder()
        .setEventId(agentId + "-" + (chain.lastSequence() + 1))
        .setEventTime(now)
        .setAgentId(agentId)
        .setSequence(0)
        .setPreviousHash("")
        .setHash("")
        .setSessionId(session)
        .setTransport(serverUrl == null ? Transport.STDIO : Transport.STREAMABLE_HTTP)
        .setServer(ServerIdentity.newBuilder().setName(server).setUrl(serverUrl).build())
        .setClient(ClientIdentity.newBuilder().setUser(user).setAgent(clientAgent).setAddress(address).build())
        .setPayload(payload)
        .build();
  }

  public static RedactedText text(String value) {
    return RedactedText.newBuilder().setText(value).setSha256(sha256(value))
        .setOriginalBytes(value.getBytes(StandardCharsets.UTF_8).length).build();
  }

  public static String sha256(String value) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
