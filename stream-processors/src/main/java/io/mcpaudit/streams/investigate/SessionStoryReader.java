package io.mcpaudit.streams.investigate;

import com.fasterxml.jackson.databind.JsonNode;
import io.mcpaudit.streams.sink.opensearch.IndexSetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch._types.FieldValue;
import org.opensearch.client.opensearch._types.OpenSearchException;
import org.opensearch.client.opensearch._types.SortOrder;
import org.opensearch.client.opensearch.core.GetResponse;
import org.opensearch.client.opensearch.core.SearchResponse;
import org.opensearch.client.opensearch.core.search.Hit;

/** Reads one session's trace, alerts and event count from OpenSearch. */
public final class SessionStoryReader {
  private final OpenSearchClient client;

  public SessionStoryReader(OpenSearchClient client) {
    this.client = client;
  }

  public SessionStory read(String sessionId) throws IOException {
    JsonNode trace = null;
    try {
      GetResponse<JsonNode> got = client.get(g -> g.index(IndexSetup.TRACES).id(sessionId), JsonNode.class);
      trace = got.found() ? got.source() : null;
    } catch (OpenSearchException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    List<JsonNode> alerts = new ArrayList<>();
    Map<String, JsonNode> byId = new LinkedHashMap<>();
    try {
      SearchResponse<JsonNode> found = client.search(s -> s.index(IndexSetup.ALERTS).size(1000)
          .query(q -> q.term(t -> t.field("mcp.session.id").value(FieldValue.of(sessionId))))
          .sort(o -> o.field(f -> f.field("event.start").order(SortOrder.Asc))), JsonNode.class);
      for (Hit<JsonNode> hit : found.hits().hits()) {
        alerts.add(hit.source());
        byId.put(hit.id(), hit.source());
      }
    } catch (OpenSearchException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    long events = 0;
    try {
      events = client.count(c -> c.index(IndexSetup.EVENTS)
          .query(q -> q.term(t -> t.field("mcp.session.id").value(FieldValue.of(sessionId))))).count();
    } catch (OpenSearchException e) {
      if (e.status() != 404) {
        throw e;
      }
    }
    return new SessionStory(sessionId, trace, byId, alerts, events);
  }
}
