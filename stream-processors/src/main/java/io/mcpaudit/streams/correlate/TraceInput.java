package io.mcpaudit.streams.correlate;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;

/** What a session trace is built from: the session's events, and alerts raised about it. Exactly one is set. */
public record TraceInput(AuditEvent event, Alert alert) {
  public static TraceInput of(AuditEvent event) {
    return event == null ? null : new TraceInput(event, null);
  }

  public static TraceInput of(Alert alert) {
    return alert == null ? null : new TraceInput(null, alert);
  }
}
