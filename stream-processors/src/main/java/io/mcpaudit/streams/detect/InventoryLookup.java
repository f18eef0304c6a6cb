package io.mcpaudit.streams.detect;

import io.mcpaudit.event.InventoryEntry;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** The server inventory as detectors see it: the global store the topology fills from the inventory topic. */
public final class InventoryLookup {
  /** Name of the global store holding the server inventory. */
  public static final String STORE = "inventory";

  private InventoryLookup() {}

  public static DetectionContext from(ProcessorContext<?, ?> context) {
    Object store;
    try {
      store = context.getStateStore(STORE);
    } catch (RuntimeException e) {
      // Topologies built without an inventory (offline runs without one, unit tests).
      return DetectionContext.empty();
    }
    if (!(store instanceof KeyValueStore<?, ?> kv)) {
      return DetectionContext.empty();
    }
    @SuppressWarnings("unchecked")
    KeyValueStore<String, Object> inventory = (KeyValueStore<String, Object>) kv;
    return new DetectionContext() {
      @Override
      public Optional<InventoryEntry> inventory(String serverName) {
        if (serverName == null) {
          return Optional.empty();
        }
        Object value = inventory.get(serverName);
        if (value instanceof ValueAndTimestamp<?> timestamped) {
          value = timestamped.value();
        }
        return Optional.ofNullable((InventoryEntry) value);
      }

      @Override
      public boolean hasInventory() {
        try (KeyValueIterator<String, Object> any = inventory.all()) {
          return any.hasNext();
        }
      }
    };
  }
}
