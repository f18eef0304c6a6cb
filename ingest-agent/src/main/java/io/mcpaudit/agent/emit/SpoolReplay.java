package io.mcpaudit.agent.emit;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.serde.AvroSerializer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Sends spooled events to Kafka, oldest first, in chunks, and consumes from the spool what Kafka
 * acknowledged: each chunk up to its first event not acknowledged (failed, or unanswered by the
 * deadline). That event and the ones after it stay spooled and are sent again later: at least once,
 * and a resent event keeps its eventId and sequence number.
 *
 * <p>Waits for acknowledgements end at the deadline. A send itself may wait up to
 * {@link KafkaEmitter#MAX_BLOCK} for metadata, which only happens if Kafka stops answering between
 * the check that found it reachable and the send.
 */
final class SpoolReplay {
  static final int CHUNK = 500;

  private final Producer<String, byte[]> producer;
  private final AvroSerializer<AuditEvent> serializer;
  private final AvroEventCodec codec;
  private final String topic;

  SpoolReplay(Producer<String, byte[]> producer, AvroSerializer<AuditEvent> serializer, AvroEventCodec codec,
              String topic) {
    this.producer = producer;
    this.serializer = serializer;
    this.codec = codec;
    this.topic = topic;
  }

  /**
   * What one replay did.
   *
   * @param delivered events acknowledged by Kafka and consumed from the spool
   * @param failure why it stopped early (Kafka or the registry failed), or null
   */
  record Outcome(long delivered, String failure) {}

  /**
   * Replays up to {@code maxRecords} events; starts no chunk once the deadline has passed, and stops
   * waiting for acknowledgements when it passes.
   *
   * @throws UnreadableSpoolException when a spooled record is not an event this agent can read
   */
  Outcome replay(Spool spool, long maxRecords, Deadline deadline) throws IOException {
    long delivered = 0;
    while (delivered < maxRecords && !spool.isEmpty() && !deadline.passed()) {
      List<byte[]> records = spool.peek((int) Math.min(CHUNK, maxRecords - delivered));
      if (records.isEmpty()) {
        break;
      }
      List<AuditEvent> events = decode(spool.dir(), records);
      Acknowledgements acks = send(events);
      acks.await(deadline);
      int acknowledged = acks.prefix();
      if (acknowledged > 0) {
        spool.commit(acknowledged);
        delivered += acknowledged;
      }
      if (acknowledged < events.size()) {
        return new Outcome(delivered, acks.failure());
      }
    }
    return new Outcome(delivered, null);
  }

  private List<AuditEvent> decode(Path dir, List<byte[]> records) throws UnreadableSpoolException {
    List<AuditEvent> events = new ArrayList<>(records.size());
    for (byte[] record : records) {
      try {
        events.add(codec.decode(record));
      } catch (RuntimeException e) {
        throw new UnreadableSpoolException(dir, e);
      }
    }
    return events;
  }

  private Acknowledgements send(List<AuditEvent> events) {
    Acknowledgements acks = new Acknowledgements(events.size());
    for (int i = 0; i < events.size(); i++) {
      AuditEvent event = events.get(i);
      try {
        producer.send(new ProducerRecord<>(topic, event.getSessionId(), serializer.serialize(topic, event)),
            acks.callback(i));
      } catch (RuntimeException e) {
        acks.notSent(i, KafkaEmitter.describe(e));
        break;
      }
    }
    return acks;
  }

  /** Which events of a chunk Kafka acknowledged (written by the producer's I/O thread). */
  private static final class Acknowledgements {
    private final AtomicIntegerArray acknowledged;
    private final CountDownLatch unanswered;
    private final AtomicReference<String> failure = new AtomicReference<>();

    Acknowledgements(int size) {
      this.acknowledged = new AtomicIntegerArray(size);
      this.unanswered = new CountDownLatch(size);
    }

    Callback callback(int index) {
      return (metadata, error) -> {
        if (error == null) {
          acknowledged.set(index, 1);
        } else {
          failure.compareAndSet(null, KafkaEmitter.describe(error));
        }
        unanswered.countDown();
      };
    }

    /** The send of event {@code index} failed before reaching the producer, so it and the rest get no answer. */
    void notSent(int index, String reason) {
      failure.compareAndSet(null, reason);
      for (int i = index; i < acknowledged.length(); i++) {
        unanswered.countDown();
      }
    }

    /** Waits until Kafka answered for every event sent, at most until the deadline. */
    void await(Deadline deadline) {
      try {
        if (!unanswered.await(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
          failure.compareAndSet(null, "not acknowledged by the deadline");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failure.compareAndSet(null, "interrupted");
      }
    }

    /** How many events from the start of the chunk were all acknowledged. */
    int prefix() {
      int count = 0;
      while (count < acknowledged.length() && acknowledged.get(count) == 1) {
        count++;
      }
      return count;
    }

    String failure() {
      String reason = failure.get();
      return reason != null ? reason : "not acknowledged";
    }
  }

  /** A spool holds a record that is not an event this agent can read; it is left where it is. */
  static final class UnreadableSpoolException extends IOException {
    UnreadableSpoolException(Path dir, Throwable cause) {
      super("the spool " + dir + " holds a record this agent cannot read (" + cause.getMessage() + ")", cause);
    }
  }
}
