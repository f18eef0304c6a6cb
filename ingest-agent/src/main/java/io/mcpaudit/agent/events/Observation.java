package io.mcpaudit.agent.events;

import io.mcpaudit.agent.secrets.TokenObservation;
import io.mcpaudit.event.Direction;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Something the agent saw on the wire, handed from a relay thread to the event thread.
 * Building events (parsing, hashing, redaction) happens on the event thread so that
 * the relay only copies bytes.
 */
public sealed interface Observation {
  SessionContext session();

  Instant time();

  /** Approximate memory held, for the queue's byte bound. */
  default long weight() {
    return 256;
  }

  /**
   * One wire unit (stdio line, HTTP body, SSE data).
   *
   * @param bytes the exact bytes, or null when the unit was too large to keep (size and hash still exact)
   * @param sha256 SHA-256 of the bytes when they were not kept, else null
   */
  record Message(SessionContext session, Instant time, Direction direction, byte[] bytes, long size, String sha256,
                 Optional<TokenObservation> token, HttpExchange http) implements Observation {
    public static Message of(SessionContext session, Instant time, Direction direction, byte[] bytes) {
      return new Message(session, time, direction, bytes, bytes.length, null, Optional.empty(), null);
    }

    @Override
    public long weight() {
      return 256 + (bytes == null ? 0 : bytes.length);
    }
  }

  /** A stdio server process was started. */
  record Launch(SessionContext session, Instant time, LaunchInfo launch) implements Observation {}

  /** The session ended (child exit, DELETE, 404, disconnect). */
  record SessionEnd(SessionContext session, Instant time, String reason, Integer exitCode) implements Observation {}

  /** Authorization granted or challenged (HTTP 401/403 with WWW-Authenticate). */
  record Scope(SessionContext session, Instant time, List<String> granted, List<String> requested, String resource,
               String challenge, String metadataUrl, Integer httpStatus) implements Observation {}

  /**
   * A human approved or denied a tool call in the MCP host (reported to the approval endpoint).
   *
   * @param requestIdJson the JSON-RPC id of the tools/call, as JSON text ({@code 7} or {@code "7"})
   * @param decidedInMs how long the human took, when reported
   */
  record Approval(SessionContext session, Instant time, String requestIdJson, String tool, boolean approved,
                  String approver, String argumentsSha256, Long decidedInMs) implements Observation {}

  /** HTTP facts of a message on an HTTP transport (lower-case header names, no credentials). */
  record HttpExchange(String method, String path, Integer status, java.util.Map<String, String> headers) {}
}
