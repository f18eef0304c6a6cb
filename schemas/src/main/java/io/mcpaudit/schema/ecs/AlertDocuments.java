package io.mcpaudit.schema.ecs;

import io.mcpaudit.event.Alert;
import java.util.Locale;
import java.util.Map;

/**
 * Maps an {@link Alert} to its OpenSearch document (index {@code mcp-alerts}, id = alert id):
 * ECS {@code event.*}, {@code rule.*}, {@code threat.*} plus the MCP session and identity fields
 * shared with events, so one query can join them by session.
 */
public final class AlertDocuments {
  private AlertDocuments() {}

  public static Map<String, Object> toDocument(Alert alert) {
    return new EcsDocument()
        .put("@timestamp", alert.getLastSeen().toString())
        .put("event.kind", "alert")
        .put("event.dataset", "mcp.audit.alerts")
        .put("event.id", alert.getAlertId())
        .put("event.severity", severityNumber(alert))
        .put("event.start", alert.getFirstSeen().toString())
        .put("event.end", alert.getLastSeen().toString())
        .put("rule.id", alert.getRuleId())
        .put("rule.name", alert.getTitle())
        .put("rule.category", alert.getCategory())
        .put("rule.description", alert.getDescription())
        .put("threat.framework", "mcp-audit")
        .put("threat.technique.name", alert.getCategory())
        .put("mcp.alert.id", alert.getAlertId())
        .put("mcp.alert.category", alert.getCategory())
        .put("mcp.alert.severity", alert.getSeverity().name().toLowerCase(Locale.ROOT))
        .put("mcp.alert.title", alert.getTitle())
        .put("mcp.alert.excerpt", alert.getExcerpt())
        .put("mcp.alert.dedup_key", alert.getDedupKey())
        .put("mcp.alert.count", alert.getCount())
        .put("mcp.alert.evidence_event_ids", alert.getEvidenceEventIds())
        .put("mcp.alert.attributes", alert.getAttributes())
        .put("mcp.session.id", alert.getSessionId())
        .put("server.name", alert.getServerName())
        .put("user.name", alert.getUser())
        .put("user_agent.name", alert.getClientAgent())
        .asMap();
  }

  /** ECS event.severity is numeric: 21/47/73/99 keeps the four levels apart and sortable. */
  private static int severityNumber(Alert alert) {
    return switch (alert.getSeverity()) {
      case LOW -> 21;
      case MEDIUM -> 47;
      case HIGH -> 73;
      case CRITICAL -> 99;
    };
  }
}
