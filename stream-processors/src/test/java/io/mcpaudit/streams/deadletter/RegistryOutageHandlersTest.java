package io.mcpaudit.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.schema.registry.RegistryUnreachableException;
import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * A processor reading an Avro store, or an output being serialized, while the schema registry is
 * away: the thread is failed (and replaced, reading again from the last commit), nothing is
 * dead-lettered. Any other failure still goes to the dead-letter topic.
 */
class RegistryOutageHandlersTest {
  private static final ErrorHandlerContext CONTEXT = new ErrorHandlerContext() {
    @Override
    public String topic() {
      return "mcp.audit.events.v1";
    }

    @Override
    public int partition() {
      return 0;
    }

    @Override
    public long offset() {
      return 42;
    }

    @Override
    public Headers headers() {
      return new RecordHeaders();
    }

    @Override
    public String processorNodeId() {
      return "dedup-alerts";
    }

    @Override
    public TaskId taskId() {
      return new TaskId(0, 0);
    }

    @Override
    public long timestamp() {
      return 0;
    }

    @Override
    public byte[] sourceRawKey() {
      return new byte[] {1};
    }

    @Override
    public byte[] sourceRawValue() {
      return new byte[] {2};
    }
  };

  private static SerializationException registryAway() {
    return new SerializationException("cannot fetch schema id 9 for topic 'mcp-audit-pipeline-alert-dedup-changelog'",
        new RegistryUnreachableException(URI.create("http://127.0.0.1:9/apis/ccompat/v7"),
            new ConnectException("Connection refused")));
  }

  @Test
  void aProcessorThatCannotReachTheRegistryFailsItsThreadInsteadOfDeadLettering() {
    DeadLetterProcessingHandler handler = new DeadLetterProcessingHandler();
    handler.configure(Map.of());

    ProcessingExceptionHandler.Response away = handler.handleError(CONTEXT, new Record<>("k", "v", 0), registryAway());
    ProcessingExceptionHandler.Response broken = handler.handleError(CONTEXT, new Record<>("k", "v", 0),
        new IllegalStateException("a detector bug"));

    assertThat(away.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    assertThat(away.deadLetterQueueRecords()).isEmpty();
    assertThat(broken.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    assertThat(broken.deadLetterQueueRecords()).hasSize(1);
  }

  @Test
  void anOutputThatCannotBeSerializedForWantOfTheRegistryFailsItsThreadInsteadOfDeadLettering() {
    DeadLetterProductionHandler handler = new DeadLetterProductionHandler();
    handler.configure(Map.of());
    ProducerRecord<String, String> output = new ProducerRecord<>("mcp.audit.alerts.v1", "k", "v");

    ProductionExceptionHandler.Response away = handler.handleSerializationError(CONTEXT, output, registryAway(),
        ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);
    ProductionExceptionHandler.Response broken = handler.handleSerializationError(CONTEXT, output,
        new SerializationException("not Avro"), ProductionExceptionHandler.SerializationExceptionOrigin.VALUE);

    assertThat(away.result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    assertThat(away.deadLetterQueueRecords()).isEmpty();
    assertThat(broken.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(broken.deadLetterQueueRecords()).hasSize(1);
  }
}
