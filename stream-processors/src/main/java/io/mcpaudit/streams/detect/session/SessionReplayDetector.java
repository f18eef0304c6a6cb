package io.mcpaudit.streams.detect.session;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.Direction;
import io.mcpaudit.event.McpMessage;
import io.mcpaudit.event.MessageKind;
import io.mcpaudit.event.SessionEnded;
import io.mcpaudit.streams.alert.AlertDraft;
import io.mcpaudit.streams.alert.DetectorSpec;
import io.mcpaudit.streams.detect.DetectionContext;
import io.mcpaudit.streams.detect.Detected;
import io.mcpaudit.streams.detect.Detector;
import io.mcpaudit.streams.detect.Outcome;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * {@code session-replay}: a request that re-sends a JSON-RPC id already seen in the session with the
 * same method and bytes, or any traffic on a session after it ended.
 */
public final class SessionReplayDetector implements Detector<SessionReplayDetector.History> {
  /**
   * @param requests  JSON-RPC id → (method + message hash, event id) of client requests, newest last
   * @param endedBy   event id of the session's end, or null while it is open
   */
  public record History(LinkedHashMap<String, SeenRequest> requests, String endedBy, String endReason,
                        long lastSeenMillis) {}

  public record SeenRequest(String fingerprint, String eventId) {}

  private final DetectorSpec spec;
  private final int remembered;

  public SessionReplayDetector(DetectorSpec spec) {
    this.spec = spec;
    this.remembered = (int) spec.number("remembered_requests", 5000);
  }

  @Override
  public String name() {
    return "session-replay";
  }

  @Override
  public Class<History> stateType() {
    return History.class;
  }

  @Override
  public String keyOf(Detected input) {
    return input.event().getSessionId();
  }

  @Override
  public Outcome<History> onEvent(History history, Detected input, DetectionContext context) {
    AuditEvent event = input.event();
    long now = event.getEventTime().toEpochMilli();
    if (history == null) {
      history = new History(new LinkedHashMap<>(), null, null, now);
    }
    if (event.getPayload() instanceof SessionEnded ended) {
      return Outcome.quiet(new History(history.requests(),
          history.endedBy() == null ? event.getEventId() : history.endedBy(),
          history.endedBy() == null ? ended.getReason() : history.endReason(), now));
    }
    if (!(event.getPayload() instanceof McpMessage message)) {
      return Outcome.quiet(touch(history, now));
    }
    if (history.endedBy() != null && message.getDirection() == Direction.CLIENT_TO_SERVER) {
      return Outcome.of(touch(history, now), List.of(AlertDraft.of(spec, event)
          .title("Session " + event.getSessionId() + " used after it ended")
          .description("The session ended (" + history.endReason() + ") but a client sent "
              + describe(message) + " on it afterwards: a replayed or stolen session id.")
          .excerpt(describe(message))
          .dedupOn("after-end")
          .evidence(List.of(history.endedBy()))
          .attribute("end_reason", history.endReason())
          .build()));
    }
    if (message.getKind() != MessageKind.REQUEST || message.getDirection() != Direction.CLIENT_TO_SERVER
        || message.getJsonRpcId() == null) {
      return Outcome.quiet(touch(history, now));
    }
    String fingerprint = message.getMethod() + "|" + message.getSha256();
    SeenRequest earlier = history.requests().get(message.getJsonRpcId());
    LinkedHashMap<String, SeenRequest> requests = history.requests();
    requests.put(message.getJsonRpcId(), new SeenRequest(fingerprint, event.getEventId()));
    while (requests.size() > remembered) {
      requests.remove(requests.keySet().iterator().next());
    }
    History updated = new History(requests, history.endedBy(), history.endReason(), now);
    if (earlier == null || !earlier.fingerprint().equals(fingerprint)) {
      return Outcome.quiet(updated);
    }
    return Outcome.of(updated, List.of(AlertDraft.of(spec, event)
        .title("Replayed request " + message.getMethod() + " (id " + message.getJsonRpcId() + ") in session "
            + event.getSessionId())
        .description("A client request was sent again with the same JSON-RPC id, method and parameters"
            + " (identical bytes). MCP clients never reuse an id within a session; a repeat means the request"
            + " was captured and replayed.")
        .excerpt(describe(message))
        .dedupOn("id=" + message.getJsonRpcId())
        .evidence(List.of(earlier.eventId()))
        .attribute("jsonrpc_id", message.getJsonRpcId())
        .attribute("method", message.getMethod())
        .build()));
  }

  @Override
  public Instant lastActivity(History history) {
    return Instant.ofEpochMilli(history.lastSeenMillis());
  }

  private static History touch(History history, long now) {
    return new History(history.requests(), history.endedBy(), history.endReason(), now);
  }

  private static String describe(McpMessage message) {
    return (message.getMethod() == null ? message.getKind().name().toLowerCase() : message.getMethod())
        + (message.getJsonRpcId() == null ? "" : " (id " + message.getJsonRpcId() + ")");
  }
}
