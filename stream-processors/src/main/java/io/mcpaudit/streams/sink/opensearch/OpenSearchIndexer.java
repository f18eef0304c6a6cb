package io.mcpaudit.streams.sink.opensearch;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.event.SessionTrace;
import io.mcpaudit.schema.ecs.AlertDocuments;
import io.mcpaudit.schema.ecs.AuditEventDocuments;
import io.mcpaudit.schema.ecs.TraceDocuments;
import io.mcpaudit.schema.registry.RegistryUnreachableException;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.serde.AvroDeserializer;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.streams.deadletter.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.opensearch.client.opensearch.OpenSearchClient;
import org.opensearch.client.opensearch.core.BulkRequest;
import org.opensearch.client.opensearch.core.BulkResponse;
import org.opensearch.client.opensearch.core.bulk.BulkOperation;
import org.opensearch.client.opensearch.core.bulk.BulkResponseItem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes events, alerts and traces and indexes them into OpenSearch, idempotently: document ids
 * are the event id, alert id and session id, so replays and restarts overwrite rather than
 * duplicate. Offsets are committed only after OpenSearch acknowledged every document of a batch
 * (or it went to the dead-letter topic). Throttling, server errors and outages are retried with
 * backoff for as long as they last: nothing is skipped, the consumer just stops advancing.
 *
 * <p>One synchronous bulk request per poll, rather than opensearch-java's asynchronous
 * {@code BulkIngester}, because offsets must follow acknowledgements exactly: a batch is committed
 * when, and only when, its bulk response is fully handled.
 */
public final class OpenSearchIndexer implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OpenSearchIndexer.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private static final Duration REGISTRY_RETRY_PAUSE = Duration.ofSeconds(2);

  private final OpenSearchClient client;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> deadLetters;
  private final AvroDeserializer<AuditEvent> events;
  private final AvroDeserializer<Alert> alerts;
  private final AvroDeserializer<SessionTrace> traces;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();

  public OpenSearchIndexer(IndexerSettings settings, SchemaRegistry registry, OpenSearchClient client) {
    this.client = client;
    Properties consumerProps = new Properties();
    consumerProps.putAll(settings.clientConfig());
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.batchSize());
    this.consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Properties producerProps = new Properties();
    producerProps.putAll(settings.clientConfig());
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.deadLetters = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    this.events = new AvroDeserializer<>(registry, AuditEvent.class);
    this.alerts = new AvroDeserializer<>(registry, Alert.class);
    this.traces = new AvroDeserializer<>(registry, SessionTrace.class);
  }

  /** Documents OpenSearch acknowledged so far. */
  public long indexed() {
    return indexed.get();
  }

  /** Records sent to the dead-letter topic so far (undecodable, or rejected by OpenSearch). */
  public long deadLettered() {
    return deadLettered.get();
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(Topics.EVENTS.name(), Topics.ALERTS.name(), Topics.TRACES.name()));
      while (running.get()) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        List<IndexedDocument> documents = new ArrayList<>(records.count());
        try {
          for (ConsumerRecord<byte[], byte[]> record : records) {
            IndexedDocument document = toDocument(record);
            if (document != null) {
              documents.add(document);
            }
          }
        } catch (RegistryAway away) {
          // Nothing of this batch is committed: read it again once the registry answers.
          LOG.warn("{}; holding {} records and retrying", DeadLetters.reasonOf(away.getCause()), records.count());
          for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
          }
          sleepKeepingMembership(REGISTRY_RETRY_PAUSE.toMillis());
          continue;
        }
        indexAll(documents);
        consumer.commitSync(nextOffsets(records));
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(10));
      deadLetters.close(Duration.ofSeconds(10));
    }
  }

  /** The schema registry could not be reached while decoding: not the record's fault, so no dead letter. */
  private static final class RegistryAway extends RuntimeException {
    RegistryAway(RuntimeException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private IndexedDocument toDocument(ConsumerRecord<byte[], byte[]> record) {
    TopicPartition source = new TopicPartition(record.topic(), record.partition());
    try {
      if (record.topic().equals(Topics.EVENTS.name())) {
        AuditEvent event = events.deserialize(record.topic(), record.value());
        return event == null ? null : new IndexedDocument(source, record.offset(), record.key(), record.value(),
            IndexSetup.EVENTS, event.getEventId(), AuditEventDocuments.toDocument(event), true, false);
      }
      if (record.topic().equals(Topics.ALERTS.name())) {
        Alert alert = alerts.deserialize(record.topic(), record.value());
        return alert == null ? null : new IndexedDocument(source, record.offset(), record.key(), record.value(),
            IndexSetup.ALERTS, alert.getAlertId(), AlertDocuments.toDocument(alert), false, false);
      }
      SessionTrace trace = traces.deserialize(record.topic(), record.value());
      if (trace == null) {
        String session = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        return session == null ? null : new IndexedDocument(source, record.offset(), record.key(), null,
            IndexSetup.TRACES, session, null, false, true);
      }
      return new IndexedDocument(source, record.offset(), record.key(), record.value(), IndexSetup.TRACES,
          trace.getSessionId(), TraceDocuments.toDocument(trace), false, false);
    } catch (RuntimeException e) {
      if (RegistryUnreachableException.isCauseOf(e)) {
        throw new RegistryAway(e);
      }
      deadLetter(record.topic() + "/" + record.partition() + "@" + record.offset(), record.key(), record.value(),
          "decode", DeadLetters.reasonOf(e));
      return null;
    }
  }

  /** Sends the batch, retrying what OpenSearch could not take yet, until every document is settled. */
  private void indexAll(List<IndexedDocument> documents) {
    List<IndexedDocument> pending = documents;
    long backoffMillis = 100;
    int attempt = 0;
    while (!pending.isEmpty()) {
      attempt++;
      List<IndexedDocument> retry = new ArrayList<>();
      try {
        BulkResponse response = client.bulk(bulk(pending));
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
          BulkResponseItem item = items.get(i);
          IndexedDocument document = pending.get(i);
          int status = item.status();
          if (status < 300 || (status == 409 && document.create()) || (status == 404 && document.delete())) {
            indexed.incrementAndGet();
          } else if (status == 429 || status >= 500) {
            retry.add(document);
          } else {
            String reason = item.error() == null ? "HTTP " + status
                : item.error().type() + ": " + item.error().reason();
            deadLetter(document.source() + "@" + document.offset(), document.key(), document.value(),
                "index " + document.index(), "OpenSearch rejected the document (HTTP " + status + "): " + reason);
          }
        }
      } catch (IOException | RuntimeException e) {
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn("OpenSearch unreachable or failing ({}); holding {} documents and retrying (attempt {})",
              DeadLetters.reasonOf(e), pending.size(), attempt);
        }
        retry = pending;
      }
      if (!retry.isEmpty()) {
        sleepKeepingMembership(backoffMillis);
        backoffMillis = Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
      }
      pending = retry;
    }
  }

  private static BulkRequest bulk(List<IndexedDocument> documents) {
    List<BulkOperation> operations = new ArrayList<>(documents.size());
    for (IndexedDocument d : documents) {
      if (d.delete()) {
        operations.add(BulkOperation.of(op -> op.delete(del -> del.index(d.index()).id(d.id()))));
      } else if (d.create()) {
        operations.add(BulkOperation.of(op -> op.create(c -> c.index(d.index()).id(d.id()).document(d.document()))));
      } else {
        operations.add(BulkOperation.of(op -> op.index(i -> i.index(d.index()).id(d.id()).document(d.document()))));
      }
    }
    return new BulkRequest.Builder().operations(operations).build();
  }

  /** Waits out a backoff (with jitter) while polling paused partitions, so the group keeps this member. */
  private void sleepKeepingMembership(long backoffMillis) {
    long jittered = backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1);
    consumer.pause(consumer.assignment());
    try {
      long until = System.nanoTime() + Duration.ofMillis(jittered).toNanos();
      while (running.get() && System.nanoTime() < until) {
        consumer.poll(Duration.ofMillis(Math.min(200, jittered)));
      }
    } finally {
      consumer.resume(consumer.paused());
    }
  }

  private void deadLetter(String source, byte[] key, byte[] value, String stage, String reason) {
    deadLettered.incrementAndGet();
    LOG.warn("record {} sent to {} ({}): {}", source, Topics.DLQ.name(), stage, reason);
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.REASON, reason.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.STAGE, stage.getBytes(StandardCharsets.UTF_8));
    headers.add(DeadLetters.SOURCE, source.getBytes(StandardCharsets.UTF_8));
    try {
      deadLetters.send(new ProducerRecord<>(Topics.DLQ.name(), null, key, value, headers)).get();
    } catch (Exception e) {
      // Committing past a record that reached neither OpenSearch nor the DLQ would lose it: stop instead.
      throw new IllegalStateException("cannot write dead letter for " + source + " to " + Topics.DLQ.name()
          + ": " + DeadLetters.reasonOf(e), e);
    }
  }

  private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> list = records.records(partition);
      offsets.put(partition, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
    }
    return offsets;
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
  }
}
