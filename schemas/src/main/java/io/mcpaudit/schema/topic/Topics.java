package io.mcpaudit.schema.topic;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.schema.serde.AvroSerde;
import org.apache.kafka.common.serialization.Serdes;

/** Every topic mcp-audit reads or writes: the one place their names and value types live. */
public final class Topics {
  /** Audit events from agents. Key: session id. */
  public static final Topic<AuditEvent> EVENTS =
      new Topic<>("mcp.audit.events.v1", registry -> AvroSerde.forValues(registry, AuditEvent.class));
  /** Alerts from the detection topology. Key: dedup key. */
  public static final Topic<Alert> ALERTS =
      new Topic<>("mcp.audit.alerts.v1", registry -> AvroSerde.forValues(registry, Alert.class));
  /** Each session's action chain, latest version per session (compacted). Key: session id. */
  public static final Topic<SessionTrace> TRACES =
      new Topic<>("mcp.audit.traces.v1", registry -> AvroSerde.forValues(registry, SessionTrace.class));
  /** The approved server inventory (compacted). Key: server name. */
  public static final Topic<InventoryEntry> INVENTORY =
      new Topic<>("mcp.audit.inventory.v1", registry -> AvroSerde.forValues(registry, InventoryEntry.class));
  /** Detection rules as YAML text (compacted). Key: rule id; a null value removes the rule. */
  public static final Topic<String> RULES = new Topic<>("mcp.audit.rules.v1", registry -> Serdes.String());
  /** Records the pipeline could not process: original bytes, with the reason in headers. */
  public static final Topic<byte[]> DLQ = new Topic<>("mcp.audit.dlq.v1", registry -> Serdes.ByteArray());

  private Topics() {}
}
