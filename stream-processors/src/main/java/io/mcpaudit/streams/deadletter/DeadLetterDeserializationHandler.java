package io.mcpaudit.streams.deadletter;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A record that does not deserialize (poison Avro, wrong magic byte, unknown schema id) goes to the DLQ; processing continues. */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private String dlqTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    LOG.warn("record {}/{}@{} does not deserialize, sent to {}: {}", context.topic(), context.partition(),
        context.offset(), dlqTopic, DeadLetters.reason(exception));
    return Response.resume(DeadLetters.record(dlqTopic, context, "deserialize", exception));
  }
}
