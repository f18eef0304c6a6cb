package io.mcpaudit.streams.rules;

import io.mcpaudit.rules.correlation.CorrelationStore;
import io.mcpaudit.rules.correlation.StateCodec;
import io.mcpaudit.rules.correlation.StateRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The rule engine's correlation state in a changelogged Kafka Streams store, so correlation
 * windows, first-seen terms and pending absences survive restarts and rebalances.
 */
public final class KafkaCorrelationStore implements CorrelationStore {
  private final KeyValueStore<String, byte[]> store;
  private final StateCodec codec = new StateCodec();

  public KafkaCorrelationStore(KeyValueStore<String, byte[]> store) {
    this.store = store;
  }

  @Override
  public Optional<StateRecord> get(String key) {
    byte[] bytes = store.get(key);
    return bytes == null ? Optional.empty() : Optional.of(codec.decode(bytes));
  }

  @Override
  public void put(String key, StateRecord record) {
    store.put(key, codec.encode(record));
  }

  @Override
  public void remove(String key) {
    store.delete(key);
  }

  @Override
  public List<String> expiring(Instant watermark) {
    // A full scan: correlation keys are few per task (groups within open windows). A time index
    // would be the next step if a rule pack ever keeps millions of open groups.
    List<String> keys = new ArrayList<>();
    long limit = watermark.toEpochMilli();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> {
        if (codec.decode(entry.value).expiresAt() <= limit) {
          keys.add(entry.key);
        }
      });
    }
    return keys;
  }
}
