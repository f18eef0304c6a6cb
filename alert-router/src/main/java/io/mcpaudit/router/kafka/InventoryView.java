package io.mcpaudit.router.kafka;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.router.routing.InventoryLookup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
  private final AvroDeserializer<InventoryEntry> deserializer;
  private final Map<String, InventoryEntry> servers = new ConcurrentHashMap<>();
  private long lastLookForTopic;
  private boolean warnedMissing;

  InventoryView(String bootstrapServers, Map<String, Object> clientProps, String topic, SchemaRegistry registry) {
    this.topic = topic;
    this.reader = new TopicReader(bootstrapServers, clientProps, topic);
    this.deserializer = new AvroDeserializer<>(registry, InventoryEntry.class);
  }

  void catchUp(Duration timeout) {
    lastLookForTopic = System.nanoTime();
    if (!reader.catchUp(timeout, this::apply)) {
      if (warnedMissing) {
        return;
      }
      warnedMissing = true;
      LOG.warn("inventory topic {} does not exist yet; routes that match on risk_tier or owner match nothing until"
          + " an inventory is published (mcp-audit inventory push)", topic);
    } else {
      LOG.info("inventory: {} servers from {}", servers.size(), topic);
    }
  }

  /** Applies updates that arrived since the last call, without waiting. */
  void refresh() {
    if (reader.found()) {
      reader.poll(this::apply);
    } else if (System.nanoTime() - lastLookForTopic > RETRY_MISSING_TOPIC.toNanos()) {
      catchUp(Duration.ofSeconds(10));
    }
  }

  int size() {
    return servers.size();
  }

  @Override
  public Optional<InventoryEntry> find(String serverName) {
    return serverName == null ? Optional.empty() : Optional.ofNullable(servers.get(serverName));
  }

  private void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String name = new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      servers.remove(name);
      return;
    }
    try {
      servers.put(name, deserializer.deserialize(record.topic(), record.value()));
    } catch (RuntimeException e) {
      LOG.warn("inventory record for server '{}' ({}/{}@{}) cannot be read, keeping the previous entry: {}", name,
          record.topic(), record.partition(), record.offset(), e.getMessage());
    }
  }

  @Override
  public void close() {
    reader.close();
  }
}
