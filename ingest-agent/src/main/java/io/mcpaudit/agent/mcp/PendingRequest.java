package io.mcpaudit.agent.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * A request seen on the wire and not yet answered: what a later response is attributed to.
 *
 * @param subject the tool name (tools/call), URI (resources/read) or prompt name (prompts/get), else null
 */
public record PendingRequest(String idText, String method, String subject, JsonNode params, Instant sentAt) {

  /** Milliseconds from the request to {@code answeredAt}, never negative. */
  public long millisUntil(Instant answeredAt) {
    return Math.max(0, answeredAt.toEpochMilli() - sentAt.toEpochMilli());
  }

  static String subjectOf(String method, JsonNode params) {
    if (params == null || method == null) {
      return null;
    }
    JsonNode subject = switch (method) {
      case "tools/call", "prompts/get" -> params.path("name");
      case "resources/read", "resources/subscribe" -> params.path("uri");
      default -> null;
    };
    return subject != null && subject.isTextual() ? subject.textValue() : null;
  }
}
