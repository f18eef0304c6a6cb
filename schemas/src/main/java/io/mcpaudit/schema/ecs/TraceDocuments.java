package io.mcpaudit.schema.ecs;

import io.mcpaudit.event.ApprovalLink;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.event.TraceStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Maps a {@link SessionTrace} to its OpenSearch document (index {@code mcp-traces}, id = session id). */
public final class TraceDocuments {
  private TraceDocuments() {}

  public static Map<String, Object> toDocument(SessionTrace trace) {
    List<Map<String, Object>> steps = new ArrayList<>();
    for (TraceStep step : trace.getSteps()) {
      EcsDocument doc = new EcsDocument()
          .put("index", step.getIndex())
          .put("event_id", step.getEventId())
          .put("time", step.getTime().toString())
          .put("kind", step.getKind().name().toLowerCase(Locale.ROOT))
          .put("method", step.getMethod())
          .put("tool", step.getTool())
          .put("jsonrpc_id", step.getJsonRpcId())
          .put("arguments", step.getArgumentsExcerpt())
          .put("arguments_sha256", step.getArgumentsSha256())
          .put("result", step.getResultExcerpt())
          .put("duration_ms", step.getDurationMs())
          .put("error", step.getError())
          .put("token_fingerprint", step.getTokenFingerprint())
          .put("alert_ids", step.getAlertIds());
      ApprovalLink approval = step.getApproval();
      if (approval != null) {
        doc.put("approval.approver", approval.getApprover())
            .put("approval.decision", approval.getDecision().name().toLowerCase(Locale.ROOT))
            .put("approval.decided_in_ms", approval.getDecidedInMs())
            .put("approval.arguments_match", approval.getArgumentsMatch())
            .put("approval.before_call", approval.getBeforeCall())
            .put("approval.event_id", approval.getApprovalEventId());
      }
      steps.add(doc.asMap());
    }
    return new EcsDocument()
        .put("@timestamp", trace.getLastEventAt().toString())
        .put("event.kind", "state")
        .put("event.dataset", "mcp.audit.traces")
        .put("event.start", trace.getStartedAt().toString())
        .put("event.end", trace.getLastEventAt().toString())
        .put("mcp.session.id", trace.getSessionId())
        .put("mcp.transport", trace.getTransport().name().toLowerCase(Locale.ROOT).replace('_', '-'))
        .put("mcp.protocol.version", trace.getProtocolVersion())
        .put("mcp.session.ended", trace.getEnded())
        .put("mcp.trace.step_count", trace.getSteps().size())
        .put("mcp.trace.dropped_steps", trace.getDroppedSteps())
        .put("mcp.trace.steps", steps)
        .put("mcp.trace.alert_ids", trace.getAlertIds())
        .put("server.name", trace.getServer().getName())
        .put("url.full", trace.getServer().getUrl())
        .put("client.address", trace.getClient().getAddress())
        .put("user.name", trace.getClient().getUser())
        .put("user_agent.name", trace.getClient().getAgent())
        .put("token.fingerprint", trace.getTokenFingerprints())
        .put("token.claims.sub", trace.getTokenSubjects())
        .put("mcp.scope.granted", trace.getScopes())
        .asMap();
  }
}
