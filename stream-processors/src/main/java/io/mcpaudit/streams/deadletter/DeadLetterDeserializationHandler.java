package io.mcpaudit.streams.deadletter;

import io.mcpaudit.schema.registry.RegistryUnreachableException;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that does not deserialize (poison Avro, wrong magic byte, unknown schema id) goes to the
 * DLQ; processing continues. A schema registry that cannot be reached is no fault of the record:
 * the stream thread fails after a pause and is replaced, and the record is read again from the
 * last commit, until the registry answers.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private String dlqTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    if (RegistryUnreachableException.isCauseOf(exception)) {
      LOG.warn("record {}/{}@{} cannot be decoded now: {}; retrying from the last commit", context.topic(),
          context.partition(), context.offset(), DeadLetters.reason(exception));
      DeadLetters.registryAway(exception);
      return Response.fail();
    }
    LOG.warn("record {}/{}@{} does not deserialize, sent to {}: {}", context.topic(), context.partition(),
        context.offset(), dlqTopic, DeadLetters.reason(exception));
    return Response.resume(DeadLetters.record(dlqTopic, context, "deserialize", exception));
  }
}
