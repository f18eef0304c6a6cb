package io.mcpaudit.streams.deadletter;

import io.mcpaudit.schema.registry.RegistryUnreachableException;
import io.mcpaudit.schema.topic.Topics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Builds dead-letter records: the original key and value bytes exactly as read, with headers
 * that say what failed and where, so an operator can inspect, fix and replay them.
 */
public final class DeadLetters {
  public static final String TOPIC_CONFIG = "mcpaudit.dlq.topic";
  public static final String REASON = "mcpaudit.dlq.reason";
  public static final String STAGE = "mcpaudit.dlq.stage";
  public static final String EXCEPTION = "mcpaudit.dlq.exception";
  public static final String SOURCE = "mcpaudit.dlq.source";
  public static final String PROCESSOR = "mcpaudit.dlq.processor";

  private DeadLetters() {}

  /** How long a handler waits before failing the thread for a registry outage, so that it does not busy-loop. */
  static final long REGISTRY_RETRY_PAUSE_MILLIS = 2_000;

  /**
   * Whether {@code exception} comes from a schema registry that cannot be reached: no fault of the
   * record, so the handler fails the stream thread after a pause (it is replaced and reads the same
   * records again from the last commit) instead of dead-lettering anything.
   */
  static boolean registryAway(Exception exception) {
    if (!RegistryUnreachableException.isCauseOf(exception)) {
      return false;
    }
    try {
      Thread.sleep(REGISTRY_RETRY_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return true;
  }

  static String topic(Map<String, ?> configs) {
    Object topic = configs.get(TOPIC_CONFIG);
    return topic == null ? Topics.DLQ.name() : topic.toString();
  }

  static List<ProducerRecord<byte[], byte[]>> record(String dlqTopic, ErrorHandlerContext context, String stage,
                                                     Exception exception) {
    RecordHeaders headers = new RecordHeaders();
    add(headers, REASON, reason(exception));
    add(headers, STAGE, stage);
    add(headers, EXCEPTION, exception.getClass().getName());
    add(headers, SOURCE, context.topic() + "/" + context.partition() + "@" + context.offset());
    add(headers, PROCESSOR, context.processorNodeId());
    return List.of(new ProducerRecord<>(dlqTopic, null, context.sourceRawKey(), context.sourceRawValue(), headers));
  }

  /** The exception's own message chain, which our serdes and detectors write for people. */
  public static String reasonOf(Throwable exception) {
    return reason(exception);
  }

  static String reason(Throwable exception) {
    StringBuilder reason = new StringBuilder();
    for (Throwable t = exception; t != null && reason.length() < 2000; t = t.getCause()) {
      if (t.getMessage() != null && (reason.length() == 0 || !reason.toString().contains(t.getMessage()))) {
        reason.append(reason.length() == 0 ? "" : ": ").append(t.getMessage());
      }
    }
    return reason.length() == 0 ? exception.getClass().getSimpleName() : reason.toString();
  }

  private static void add(RecordHeaders headers, String name, String value) {
    if (value != null) {
      headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
  }
}
