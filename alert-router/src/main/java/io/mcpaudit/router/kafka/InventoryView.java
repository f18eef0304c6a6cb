package io.mcpaudit.router.kafka;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.router.routing.InventoryLookup;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server inventory topic ({@code mcp.audit.inventory.v1}, compacted, key = server name) held
 * in memory and kept current, for matching routes on risk tier and owner.
 */
final class InventoryView implements InventoryLookup, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryView.class);
  private static final Duration RETRY_MISSING_TOPIC = Duration.ofMinutes(1);

  private final String topic;
  private final TopicReader reader;
  private final InventoryRecords records;
  private long lastLookForTopic;
  private boolean warnedMissing;

  InventoryView(String bootstrapServers, Map<String, Object> clientProps, String topic, SchemaRegistry registry) {
    this.topic = topic;
    this.reader = new TopicReader(bootstrapServers, clientProps, topic);
    this.records = new InventoryRecords(registry);
  }

  void catchUp(Duration timeout) {
    lastLookForTopic = System.nanoTime();
    if (!reader.catchUp(timeout, records::apply)) {
      if (warnedMissing) {
        return;
      }
      warnedMissing = true;
      LOG.warn("inventory topic {} does not exist yet; routes that match on risk_tier or owner match nothing until"
          + " an inventory is published (mcp-audit inventory push)", topic);
    } else {
      LOG.info("inventory: {} servers from {}", records.size(), topic);
    }
  }

  /** Applies updates that arrived since the last call, without waiting. */
  void refresh() {
    if (reader.found()) {
      records.retryUnread();
      reader.poll(records::apply);
    } else if (System.nanoTime() - lastLookForTopic > RETRY_MISSING_TOPIC.toNanos()) {
      catchUp(Duration.ofSeconds(10));
    }
  }

  int size() {
    return records.size();
  }

  @Override
  public Optional<InventoryEntry> find(String serverName) {
    return records.find(serverName);
  }

  @Override
  public void close() {
    reader.close();
  }
}
