package io.mcpaudit.streams.deadletter;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event a processor cannot handle goes to the DLQ with the processor's name; the rest keeps
 * flowing. A processor that fails because the schema registry is away (reading a store whose values
 * are Avro, after a restart) fails its thread instead, which is replaced and processes the same
 * records again from the last commit once the registry answers.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private String dlqTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (DeadLetters.registryAway(exception)) {
      LOG.warn("processor {} cannot run now: {}; retrying from the last commit", context.processorNodeId(),
          DeadLetters.reason(exception));
      return Response.fail();
    }
    LOG.warn("processor {} failed on {}/{}@{}, record sent to {}: {}", context.processorNodeId(), context.topic(),
        context.partition(), context.offset(), dlqTopic, DeadLetters.reason(exception), exception);
    return Response.resume(DeadLetters.record(dlqTopic, context, "process", exception));
  }
}
