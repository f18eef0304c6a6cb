package io.mcpaudit.streams.normalize;

import io.mcpaudit.event.AuditEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * The normalize step: an event that decodes but cannot be placed (no event id, no session, key
 * not its session) is refused with a reason, which the processing handler sends to the DLQ.
 */
public final class EventValidator implements FixedKeyProcessor<String, AuditEvent, AuditEvent> {
  private FixedKeyProcessorContext<String, AuditEvent> context;

  @Override
  public void init(FixedKeyProcessorContext<String, AuditEvent> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, AuditEvent> record) {
    AuditEvent event = record.value();
    if (event == null) {
      return; // Tombstones carry nothing to audit.
    }
    if (event.getEventId().isBlank()) {
      throw new InvalidEventException("event has no eventId");
    }
    if (event.getSessionId().isBlank()) {
      throw new InvalidEventException("event " + event.getEventId() + " has no sessionId");
    }
    if (event.getAgentId().isBlank()) {
      throw new InvalidEventException("event " + event.getEventId() + " has no agentId");
    }
    if (record.key() != null && !record.key().equals(event.getSessionId())) {
      throw new InvalidEventException("event " + event.getEventId() + " is keyed '" + record.key()
          + "' but belongs to session '" + event.getSessionId() + "'; events must be keyed by session to stay in order");
    }
    context.forward(record);
  }

  /** Why an event was refused. */
  public static final class InvalidEventException extends RuntimeException {
    public InvalidEventException(String message) {
      super(message);
    }
  }
}
