package io.mcpaudit.streams.deadletter;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An event a processor cannot handle goes to the DLQ with the processor's name; the rest keeps flowing. */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private String dlqTopic;

  @Override
  public void configure(Map<String, ?> configs) {
    dlqTopic = DeadLetters.topic(configs);
  }

  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    LOG.warn("processor {} failed on {}/{}@{}, record sent to {}: {}", context.processorNodeId(), context.topic(),
        context.partition(), context.offset(), dlqTopic, DeadLetters.reason(exception), exception);
    return Response.resume(DeadLetters.record(dlqTopic, context, "process", exception));
  }
}
