package io.mcpaudit.streams.state;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps the objects written to it until the task commits, and only then
 * serializes them into the store below (and its changelog). A key written by many events between two
 * commits is serialized once, not once per event; reads see the latest write. Kafka Streams' own
 * record cache does the same for bytes, after serialization, which for detector states was a fifth
 * of the pipeline's time.
 *
 * <p>Exactly-once is kept as with Kafka's cache: Kafka Streams flushes every store's cache
 * ({@link CachedStateStore#flushCache()}) before it commits a task's transaction, so the changelog
 * records are in the same transaction as the input offsets; a task closed uncleanly drops what was
 * pending ({@link #clearCache()}), and its input is read again. Each pending write keeps the record
 * context of the event that made it, and the store below is written under that context, as Kafka's
 * cache does. Nothing is held after a flush, so a store recycled between active and standby holds no
 * stale object.
 *
 * <p>This relies on two Kafka Streams internals, the {@code CachedStateStore} hook and the
 * processor's record context, because the public Processor API has no "before commit" callback.
 * When the context is not Kafka Streams' own (a harness of another kind), writes go straight through.
 * Range scans write the pending objects first.
 */
public final class WriteAtCommitStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {

  /** A write waiting for the commit: the object (null to delete) and the context it was made in. */
  private record Pending<V>(V value, ProcessorRecordContext context) {}

  private final KeyValueStore<K, V> inner;
  private final Map<K, Pending<V>> pending = new LinkedHashMap<>();
  private InternalProcessorContext<?, ?> context;

  public WriteAtCommitStore(KeyValueStore<K, V> inner) {
    this.inner = inner;
  }

  @Override
  public void init(StateStoreContext stateStoreContext, StateStore root) {
    context = stateStoreContext instanceof InternalProcessorContext<?, ?> internal ? internal : null;
    pending.clear();
    inner.init(stateStoreContext, root);
  }

  @Override
  public V get(K key) {
    Pending<V> p = pending.get(key);
    return p != null ? p.value() : inner.get(key);
  }

  @Override
  public void put(K key, V value) {
    if (context == null) {
      if (value == null) {
        inner.delete(key);
      } else {
        inner.put(key, value);
      }
      return;
    }
    pending.put(key, new Pending<>(value, context.recordContext()));
  }

  @Override
  public V putIfAbsent(K key, V value) {
    V current = get(key);
    if (current == null) {
      put(key, value);
    }
    return current;
  }

  @Override
  public void putAll(List<KeyValue<K, V>> entries) {
    for (KeyValue<K, V> entry : entries) {
      put(entry.key, entry.value);
    }
  }

  @Override
  public V delete(K key) {
    V current = get(key);
    put(key, null);
    return current;
  }

  @Override
  public KeyValueIterator<K, V> range(K from, K to) {
    writePending();
    return inner.range(from, to);
  }

  @Override
  public KeyValueIterator<K, V> reverseRange(K from, K to) {
    writePending();
    return inner.reverseRange(from, to);
  }

  @Override
  public KeyValueIterator<K, V> all() {
    writePending();
    return inner.all();
  }

  @Override
  public KeyValueIterator<K, V> reverseAll() {
    writePending();
    return inner.reverseAll();
  }

  @Override
  public <PS extends Serializer<P>, P> KeyValueIterator<K, V> prefixScan(P prefix, PS prefixKeySerializer) {
    writePending();
    return inner.prefixScan(prefix, prefixKeySerializer);
  }

  @Override
  public long approximateNumEntries() {
    return inner.approximateNumEntries() + pending.size();
  }

  /** Writes every pending object into the store below, each under the record context it was made in. */
  private void writePending() {
    if (pending.isEmpty()) {
      return;
    }
    ProcessorRecordContext current = context.recordContext();
    try {
      for (Map.Entry<K, Pending<V>> write : pending.entrySet()) {
        context.setRecordContext(write.getValue().context());
        if (write.getValue().value() == null) {
          inner.delete(write.getKey());
        } else {
          inner.put(write.getKey(), write.getValue().value());
        }
      }
      pending.clear();
    } finally {
      context.setRecordContext(current);
    }
  }

  @Override
  public void flushCache() {
    writePending();
    if (inner instanceof CachedStateStore<?, ?> cached) {
      cached.flushCache();
    }
  }

  @Override
  public void clearCache() {
    pending.clear();
    if (inner instanceof CachedStateStore<?, ?> cached) {
      cached.clearCache();
    }
  }

  @Override
  public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
    return false;
  }

  @Override
  public void commit(Map<TopicPartition, Long> changelogOffsets) {
    inner.commit(changelogOffsets);
  }

  @Override
  public Long committedOffset(TopicPartition partition) {
    return inner.committedOffset(partition);
  }

  @Override
  public boolean managesOffsets() {
    return inner.managesOffsets();
  }

  @Override
  public String name() {
    return inner.name();
  }

  @Override
  public boolean persistent() {
    return inner.persistent();
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  @Override
  public void close() {
    pending.clear();
    inner.close();
  }

  @Override
  public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
    writePending();
    return inner.query(query, positionBound, config);
  }

  @Override
  public Position getPosition() {
    return inner.getPosition();
  }
}
