package io.mcpaudit.streams.alert;

import io.mcpaudit.event.AuditEvent;
import java.time.Instant;

/**
 * The event an alert is attached to, reduced to what the alert shows: detectors that find
 * something later (a gap noticed when time moves on) keep this instead of the whole event.
 */
public record AlertSubject(String eventId, long atMillis, String sessionId, String serverName, String user,
                           String clientAgent) {

  public static AlertSubject of(AuditEvent event) {
    return new AlertSubject(event.getEventId(), event.getEventTime().toEpochMilli(), event.getSessionId(),
        event.getServer().getName(), event.getClient().getUser(), event.getClient().getAgent());
  }

  public Instant at() {
    return Instant.ofEpochMilli(atMillis);
  }
}
