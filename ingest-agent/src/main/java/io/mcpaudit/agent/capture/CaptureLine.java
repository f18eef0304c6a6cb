package io.mcpaudit.agent.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mcpaudit.event.Direction;
import java.time.Instant;

/**
 * One valid line of a capture. {@code line} is the whole object as read, except that a
 * raw {@code http.headers.authorization} has been replaced by a {@code token}
 * (fingerprint and claims): the raw value never gets past the reader.
 *
 * @param direction for {@code message} lines, else null
 * @param message the JSON-RPC message for {@code message} lines (null when the line records unparseable bytes)
 */
public record CaptureLine(
    long lineNumber,
    Instant ts,
    String kind,
    String session,
    Direction direction,
    JsonNode message,
    ObjectNode line) {

  public boolean isMessage() {
    return CaptureFormat.KIND_MESSAGE.equals(kind);
  }

  /** A member of the line, or a missing node. */
  public JsonNode get(String field) {
    return line.path(field);
  }

  public String transport() {
    return line.path("transport").textValue();
  }
}
