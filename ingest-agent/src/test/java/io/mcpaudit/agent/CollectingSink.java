package io.mcpaudit.agent;

import io.mcpaudit.agent.emit.EventSink;
import io.mcpaudit.event.AuditEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps delivered events in memory, for tests. */
public final class CollectingSink implements EventSink {
  public final List<AuditEvent> events = new CopyOnWriteArrayList<>();

  @Override
  public void deliver(AuditEvent event) {
    events.add(event);
  }
}
