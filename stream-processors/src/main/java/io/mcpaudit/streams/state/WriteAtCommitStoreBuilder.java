package io.mcpaudit.streams.state;

import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Builds a {@link WriteAtCommitStore} over a key-value store. The store below is built without Kafka
 * Streams' record cache: this layer is the cache, and a second one would only copy bytes.
 */
public final class WriteAtCommitStoreBuilder<K, V> implements StoreBuilder<KeyValueStore<K, V>> {
  private final StoreBuilder<KeyValueStore<K, V>> inner;

  private WriteAtCommitStoreBuilder(StoreBuilder<KeyValueStore<K, V>> inner) {
    this.inner = inner;
  }

  public static <K, V> WriteAtCommitStoreBuilder<K, V> over(StoreBuilder<KeyValueStore<K, V>> inner) {
    return new WriteAtCommitStoreBuilder<>(inner.withCachingDisabled());
  }

  /** Kafka's record cache stays off below this layer; asking for it changes nothing. */
  @Override
  public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
    inner.withLoggingEnabled(config);
    return this;
  }

  @Override
  public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
    inner.withLoggingDisabled();
    return this;
  }

  @Override
  public KeyValueStore<K, V> build() {
    return new WriteAtCommitStore<>(inner.build());
  }

  @Override
  public Map<String, String> logConfig() {
    return inner.logConfig();
  }

  @Override
  public boolean loggingEnabled() {
    return inner.loggingEnabled();
  }

  @Override
  public String name() {
    return inner.name();
  }
}
