package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import java.util.Optional;

/**
 * Where chained audit events go. Called from the agent's single event thread only;
 * an implementation must never block it for long (the relay never waits on it, but
 * the observation queue fills up while it does).
 */
public interface EventSink extends AutoCloseable {

  void deliver(AuditEvent event);

  /** Called when the event thread is idle (about once a second): retry, replay, report. */
  default void tick() {}

  /**
   * Events this sink lost since the last call (spool full), if any and if it could now
   * carry the report about them; the counter is reset by taking it.
   */
  default Optional<Loss> takeLoss() {
    return Optional.empty();
  }

  @Override
  default void close() {}

  /** Events lost by a sink: how many, from which sequence number, and why. */
  record Loss(long events, Long firstSequence, String reason) {}

  /** {@code --kafka none}: events are built (and may be recorded in a capture) but sent nowhere. */
  static EventSink discard() {
    return event -> { };
  }
}
