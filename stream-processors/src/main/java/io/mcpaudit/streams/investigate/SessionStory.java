package io.mcpaudit.streams.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * Everything a responder needs about one session, as read back from OpenSearch: the trace
 * document (ordered steps), the alerts raised in the session by id, and how many raw events exist.
 */
public record SessionStory(String sessionId, JsonNode trace, Map<String, JsonNode> alertsById, List<JsonNode> alerts,
                           long eventCount) {
  public boolean found() {
    return trace != null || !alerts.isEmpty() || eventCount > 0;
  }
}
