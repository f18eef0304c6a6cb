package io.mcpaudit.router.kafka;

import io.mcpaudit.event.InventoryEntry;
import io.mcpaudit.schema.registry.RegistryUnreachableException;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inventory records applied to the in-memory view, newest per server. A record that cannot be read
 * because the schema registry is away is kept and read again on {@link #retryUnread()} (a later
 * record for the same server replaces it); one that cannot be read at all is skipped with a
 * warning and the server keeps its previous entry.
 */
final class InventoryRecords {
  private static final Logger LOG = LoggerFactory.getLogger(InventoryRecords.class);

  private final AvroDeserializer<InventoryEntry> deserializer;
  private final Map<String, InventoryEntry> servers = new ConcurrentHashMap<>();
  /** Records waiting for the registry, by server name, oldest first. */
  private final Map<String, ConsumerRecord<byte[], byte[]>> unread = new LinkedHashMap<>();

  InventoryRecords(SchemaRegistry registry) {
    this.deserializer = new AvroDeserializer<>(registry, InventoryEntry.class);
  }

  void apply(ConsumerRecord<byte[], byte[]> record) {
    if (record.key() == null) {
      return;
    }
    String name = new String(record.key(), StandardCharsets.UTF_8);
    unread.remove(name);
    if (record.value() == null) {
      servers.remove(name);
      return;
    }
    read(name, record);
  }

  /** Reads again the records that waited for the registry; stops at the first that still has to wait. */
  void retryUnread() {
    for (String name : new ArrayList<>(unread.keySet())) {
      if (!read(name, unread.get(name))) {
        return;
      }
    }
  }

  /** Applies the record, or skips it with a warning; false if it has to wait for the registry. */
  private boolean read(String name, ConsumerRecord<byte[], byte[]> record) {
    try {
      servers.put(name, deserializer.deserialize(record.topic(), record.value()));
      unread.remove(name);
      return true;
    } catch (RuntimeException e) {
      if (RegistryUnreachableException.isCauseOf(e)) {
        if (unread.put(name, record) == null) {
          LOG.warn("inventory record for server '{}' ({}/{}@{}) waits for the schema registry, read again when it"
              + " answers: {}", name, record.topic(), record.partition(), record.offset(), e.getMessage());
        }
        return false;
      }
      unread.remove(name);
      LOG.warn("inventory record for server '{}' ({}/{}@{}) cannot be read, keeping the previous entry: {}", name,
          record.topic(), record.partition(), record.offset(), e.getMessage());
      return true;
    }
  }

  Optional<InventoryEntry> find(String serverName) {
    return serverName == null ? Optional.empty() : Optional.ofNullable(servers.get(serverName));
  }

  int size() {
    return servers.size();
  }

  int waiting() {
    return unread.size();
  }
}
