package io.mcpaudit.router.kafka;

import io.mcpaudit.router.alert.Origin;
import io.mcpaudit.router.routing.DeadLetterSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alerts the router could not page to the dead-letter topic: original key and value
 * bytes, with {@code mcpaudit.dlq.reason}, {@code mcpaudit.dlq.stage} ({@code route <destination>},
 * or {@code deserialize}) and {@code mcpaudit.dlq.source} ({@code topic/partition@offset}).
 */
final class KafkaDeadLetters implements DeadLetterSink, AutoCloseable {
  static final String REASON = "mcpaudit.dlq.reason";
  static final String STAGE = "mcpaudit.dlq.stage";
  static final String SOURCE = "mcpaudit.dlq.source";
  private static final Logger LOG = LoggerFactory.getLogger(KafkaDeadLetters.class);

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();

  KafkaDeadLetters(String bootstrapServers, Map<String, Object> clientProps, String topic) {
    this.topic = topic;
    Properties props = new Properties();
    props.putAll(clientProps);
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public void deadLetter(Origin origin, String destination, String reason) {
    write(origin, "route " + destination, reason);
  }

  void write(Origin origin, String stage, String reason) {
    LOG.warn("alert {} sent to {} ({}): {}", origin.source(), topic, stage, reason);
    RecordHeaders headers = new RecordHeaders();
    headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(STAGE, stage.getBytes(StandardCharsets.UTF_8));
    headers.add(SOURCE, origin.source().getBytes(StandardCharsets.UTF_8));
    try {
      producer.send(new ProducerRecord<>(topic, null, origin.key(), origin.value(), headers))
          .get(60, TimeUnit.SECONDS);
      written.incrementAndGet();
    } catch (ExecutionException | TimeoutException e) {
      // Committing past an alert that was neither paged nor dead-lettered would lose it: stop instead.
      throw new IllegalStateException("cannot write dead letter for " + origin.source() + " to " + topic + ": "
          + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter to " + topic, e);
    }
  }

  long written() {
    return written.get();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
