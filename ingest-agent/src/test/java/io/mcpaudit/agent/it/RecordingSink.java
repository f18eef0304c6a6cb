package io.mcpaudit.agent.it;

import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.event.AuditEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps what the agent handed to delivery and how long delivery took to close, then delivers it for real. */
final class RecordingSink implements EventSink {
  final List<AuditEvent> events = new CopyOnWriteArrayList<>();
  private final EventSink delivery;
  volatile Duration closing;

  RecordingSink(EventSink delivery) {
    this.delivery = delivery;
  }

  @Override
  public void deliver(AuditEvent event) {
    events.add(event);
    delivery.deliver(event);
  }

  @Override
  public void tick() {
    delivery.tick();
  }

  @Override
  public Optional<Loss> takeLoss() {
    return delivery.takeLoss();
  }

  @Override
  public void close() {
    long start = System.nanoTime();
    delivery.close();
    closing = Duration.ofNanos(System.nanoTime() - start);
  }
}
