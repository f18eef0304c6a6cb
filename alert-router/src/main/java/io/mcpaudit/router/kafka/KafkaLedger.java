package io.mcpaudit.router.kafka;

import io.mcpaudit.router.noise.DeliveryLedger;
import io.mcpaudit.router.noise.LedgerEntry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The delivery ledger kept in a compacted Kafka topic, so that dedup survives restarts and moves
 * with partitions between router instances. Every write is acknowledged by the brokers before
 * {@link #record} returns; the router writes "pending" before a request and "sent" or "failed"
 * after it, and commits alert offsets only after that.
 */
final class KafkaLedger implements DeliveryLedger, AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final Duration TOPIC_APPEARS_WITHIN = Duration.ofSeconds(30);

  private final String topic;
  private final Duration window;
  private final TopicReader reader;
  private final KafkaProducer<byte[], byte[]> producer;
  private final Map<String, LedgerEntry> entries = new HashMap<>();

  KafkaLedger(String bootstrapServers, Map<String, Object> clientProps, String topic, Duration window) {
    this.topic = topic;
    this.window = window;
    this.reader = new TopicReader(bootstrapServers, clientProps, topic);
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * Reads what other runs and instances wrote since the last call (all of it, the first time). A
   * topic created a moment ago may not be visible to this client yet, so its absence is waited out
   * for a while before it counts as an error.
   */
  void catchUp() {
    long deadline = System.nanoTime() + TOPIC_APPEARS_WITHIN.toNanos();
    while (!reader.catchUp(TIMEOUT, this::apply)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("router state topic " + topic + " does not exist");
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the router state topic " + topic, e);
      }
    }
  }

  private void apply(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> r) {
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (key == null) {
      return;
    }
    Optional<LedgerEntry> entry = LedgerTopic.parse(r.key(), r.value());
    if (entry.isPresent()) {
      entries.put(key, entry.get());
    } else {
      entries.remove(key);
    }
  }

  int size() {
    return entries.size();
  }

  @Override
  public Optional<LedgerEntry> find(String destination, String dedupKey) {
    return Optional.ofNullable(entries.get(LedgerEntry.key(destination, dedupKey)));
  }

  @Override
  public void record(LedgerEntry entry) {
    send(LedgerTopic.key(entry), LedgerTopic.value(entry));
    entries.put(entry.key(), entry);
  }

  @Override
  public void forget(String destination, String dedupKey) {
    String key = LedgerEntry.key(destination, dedupKey);
    send(key.getBytes(StandardCharsets.UTF_8), null);
    entries.remove(key);
  }

  /** Tombstones entries whose dedup window is over, so the compacted topic does not grow forever. */
  int prune(Instant now) {
    List<LedgerEntry> expired = new ArrayList<>();
    for (LedgerEntry e : entries.values()) {
      if (!e.at().plus(window).isAfter(now)) {
        expired.add(e);
      }
    }
    for (LedgerEntry e : expired) {
      forget(e.destination(), e.dedupKey());
    }
    return expired.size();
  }

  private void send(byte[] key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      // Paging without a durable record would allow a duplicate page after a restart: stop instead.
      throw new IllegalStateException("cannot write to the router state topic " + topic + ": "
          + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing to " + topic, e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
    reader.close();
  }
}
