package io.mcpaudit.streams.deadletter;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An output that cannot be serialized or is refused by the broker (too large, invalid) goes to the
 * DLQ with the input that produced it; retriable broker errors are retried instead, and an output
 * that cannot be serialized because the schema registry is away fails the thread (it is replaced and
 * the input processed again from the last commit).
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
  private String dlqTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    if (exception instanceof RetriableException) {
      return Response.retry();
    }
    LOG.warn("output to {} refused, input sent to {}: {}", record.topic(), dlqTopic, DeadLetters.reason(exception));
    return Response.resume(DeadLetters.record(dlqTopic, context, "produce", exception));
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(ErrorHandlerContext context, ProducerRecord record, Exception exception,
                                           SerializationExceptionOrigin origin) {
    if (DeadLetters.registryAway(exception)) {
      LOG.warn("output to {} cannot be serialized now: {}; retrying from the last commit", record.topic(),
          DeadLetters.reason(exception));
      return Response.fail();
    }
    LOG.warn("output to {} does not serialize ({}), input sent to {}: {}", record.topic(), origin, dlqTopic,
        DeadLetters.reason(exception));
    return Response.resume(DeadLetters.record(dlqTopic, context, "serialize " + origin.name().toLowerCase(), exception));
  }
}
