package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.event.Direction;

/**
 * What the agent knows about one MCP session from the messages it has seen: the
 * negotiated protocol revision, both sides' names and versions, and the requests each
 * side is still waiting on. Used by one thread (the agent's event thread).
 */
public final class McpSession {
  public static final int DEFAULT_PENDING_CAPACITY = 10_000;

  private final String id;
  private final PendingRequests fromClient;
  private final PendingRequests fromServer;
  private String protocolVersion;
  private String clientName;
  private String clientVersion;
  private String serverName;
  private String serverVersion;
  private boolean started;
  private String clientCapabilities;
  private final java.util.Set<String> tokenFingerprints = new java.util.HashSet<>();
  private final java.util.Set<String> expiredTokenFingerprints = new java.util.HashSet<>();

  public McpSession(String id) {
    this(id, DEFAULT_PENDING_CAPACITY);
  }

  public McpSession(String id, int pendingCapacity) {
    this.id = id;
    this.fromClient = new PendingRequests(pendingCapacity);
    this.fromServer = new PendingRequests(pendingCapacity);
  }

  public String id() {
    return id;
  }

  /** Requests sent in this direction that await an answer from the other side. */
  public PendingRequests pending(Direction sentIn) {
    return sentIn == Direction.CLIENT_TO_SERVER ? fromClient : fromServer;
  }

  /** Remembers a request so its response can be attributed and timed. */
  public void requestSeen(Direction direction, JsonRpcMessage request, java.time.Instant at) {
    pending(direction).add(new PendingRequest(request.idText(), request.method(),
        PendingRequest.subjectOf(request.method(), request.params()), request.params(), at));
  }

  /** The request a response travelling in {@code direction} answers (it was sent the other way). */
  public java.util.Optional<PendingRequest> responseSeen(Direction direction, JsonRpcMessage response) {
    Direction requestDirection = direction == Direction.CLIENT_TO_SERVER ? Direction.SERVER_TO_CLIENT
        : Direction.CLIENT_TO_SERVER;
    return pending(requestDirection).complete(response.idText());
  }

  public String protocolVersion() {
    return protocolVersion;
  }

  public void protocolVersion(String version) {
    if (version != null) {
      this.protocolVersion = version;
    }
  }

  public String clientName() {
    return clientName;
  }

  public String clientVersion() {
    return clientVersion;
  }

  public String serverName() {
    return serverName;
  }

  public String serverVersion() {
    return serverVersion;
  }

  /** Reads {@code {"name":…, "version":…}} (clientInfo) when present. */
  public void clientInfo(JsonNode info) {
    if (info != null && info.isObject()) {
      clientName = textOr(info.path("name"), clientName);
      clientVersion = textOr(info.path("version"), clientVersion);
    }
  }

  /** Reads {@code {"name":…, "version":…}} (serverInfo) when present. */
  public void serverInfo(JsonNode info) {
    if (info != null && info.isObject()) {
      serverName = textOr(info.path("name"), serverName);
      serverVersion = textOr(info.path("version"), serverVersion);
    }
  }

  /** The client's declared capabilities as canonical JSON (initialize params or 2026-07-28 _meta). */
  public String clientCapabilities() {
    return clientCapabilities;
  }

  public void clientCapabilities(String canonicalJson) {
    this.clientCapabilities = canonicalJson;
  }

  /**
   * Notes a bearer token presented in this session; true the first time a fingerprint is seen, so that a
   * token sent with every HTTP request is reported once per session.
   */
  public boolean tokenPresented(String fingerprint) {
    // A session rarely sees more than a few tokens (refreshes); the bound only stops abuse.
    if (tokenFingerprints.size() >= 1_000) {
      tokenFingerprints.clear();
    }
    return tokenFingerprints.add(fingerprint);
  }

  /**
   * Like {@link #tokenPresented(String)}, and true once more the first time the token is used after its
   * {@code exp}: a use after expiry is itself a finding, so it must reach the pipeline.
   */
  public boolean tokenPresented(String fingerprint, java.time.Instant expiresAt, java.time.Instant now) {
    boolean first = tokenPresented(fingerprint);
    if (expiresAt == null || now == null || !now.isAfter(expiresAt)) {
      return first;
    }
    if (expiredTokenFingerprints.size() >= 1_000) {
      expiredTokenFingerprints.clear();
    }
    return expiredTokenFingerprints.add(fingerprint) || first;
  }

  public boolean started() {
    return started;
  }

  public void markStarted() {
    started = true;
  }

  private static String textOr(JsonNode node, String fallback) {
    return node.isTextual() ? node.textValue() : fallback;
  }
}
