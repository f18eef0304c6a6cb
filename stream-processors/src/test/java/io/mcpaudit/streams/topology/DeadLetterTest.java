package io.mcpaudit.streams.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.InMemorySchemaRegistry;
import io.mcpaudit.schema.topic.Topics;
import io.mcpaudit.streams.Scenario;
import io.mcpaudit.streams.deadletter.DeadLetterDeserializationHandler;
import io.mcpaudit.streams.deadletter.DeadLetterProcessingHandler;
import io.mcpaudit.streams.deadletter.DeadLetterProductionHandler;
import io.mcpaudit.streams.deadletter.DeadLetters;
import io.mcpaudit.streams.detect.chain.ToolRisk;
import io.mcpaudit.streams.rules.RuleStage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Poison input lands in the DLQ with its reason and original bytes; the events after it are still processed. */
class DeadLetterTest {
  @Test
  void poisonRecordsGoToTheDeadLetterTopicAndProcessingContinues() throws Exception {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    var topology = DetectionTopology.build(new DetectionTopology.Inputs(PipelineConfig.defaults(), registry,
        RuleStage.none(), DetectorCatalog.defaults(), ToolRisk.defaults(), rule -> Duration.ofMinutes(10)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dlq-test").toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);

    Scenario s = new Scenario("a1").address("10.0.0.1");
    s.started();
    s.address("10.0.0.2");
    s.call("read_file", "{}");
    AuditEvent misfiled = s.events().get(0);

    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.EVENTS.name(),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestInputTopic<String, AuditEvent> events = driver.createInputTopic(Topics.EVENTS.name(),
          Serdes.String().serializer(), Topics.EVENTS.valueSerde(registry).serializer());
      byte[] poison = "{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\"}".getBytes(StandardCharsets.UTF_8);

      raw.pipeInput(new TestRecord<>("s1", poison, s.now()));
      events.pipeInput(new TestRecord<>("wrong-session", misfiled, misfiled.getEventTime()));
      for (AuditEvent event : s.events()) {
        events.pipeInput(new TestRecord<>(event.getSessionId(), event, event.getEventTime()));
      }

      TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ.name(),
          Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).hasSize(2);
      assertThat(dead.get(0).value()).isEqualTo(poison);
      assertThat(header(dead.get(0), DeadLetters.STAGE)).isEqualTo("deserialize");
      assertThat(header(dead.get(0), DeadLetters.REASON)).contains("not the Confluent wire format's magic byte");
      assertThat(header(dead.get(0), DeadLetters.SOURCE)).isEqualTo("mcp.audit.events.v1/0@0");
      assertThat(header(dead.get(1), DeadLetters.STAGE)).isEqualTo("process");
      assertThat(header(dead.get(1), DeadLetters.REASON)).contains("keyed 'wrong-session' but belongs to session 's1'");
      assertThat(header(dead.get(1), DeadLetters.PROCESSOR)).isEqualTo("normalize");

      TestOutputTopic<String, Alert> alerts = driver.createOutputTopic(Topics.ALERTS.name(),
          Serdes.String().deserializer(), Topics.ALERTS.valueSerde(registry).deserializer());
      assertThat(alerts.readValuesToList()).extracting(Alert::getCategory).containsExactly("session-hijack");
    }
  }

  @Test
  void aRecordNamingASchemaIdTheRegistryDoesNotKnowGoesToTheDeadLetterTopic() throws Exception {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    var topology = DetectionTopology.build(new DetectionTopology.Inputs(PipelineConfig.defaults(), registry,
        RuleStage.none(), DetectorCatalog.defaults(), ToolRisk.defaults(), rule -> Duration.ofMinutes(10)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-unknown-schema-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dlq-test").toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);

    Scenario s = new Scenario("a1").address("10.0.0.1");
    s.started();
    s.address("10.0.0.2");
    s.call("read_file", "{}");

    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.EVENTS.name(),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      TestInputTopic<String, AuditEvent> events = driver.createInputTopic(Topics.EVENTS.name(),
          Serdes.String().serializer(), Topics.EVENTS.valueSerde(registry).serializer());
      // The Confluent wire format's magic byte and a schema id no registry handed out, then Avro-looking bytes.
      byte[] poison = ByteBuffer.allocate(9).put((byte) 0).putInt(424_242).put(new byte[] {2, 4, 6, 8})
          .array();

      raw.pipeInput(new TestRecord<>("s1", poison, s.now()));
      for (AuditEvent event : s.events()) {
        events.pipeInput(new TestRecord<>(event.getSessionId(), event, event.getEventTime()));
      }

      TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ.name(),
          Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
      assertThat(dead).singleElement().satisfies(record -> {
        assertThat(record.value()).isEqualTo(poison);
        assertThat(header(record, DeadLetters.STAGE)).isEqualTo("deserialize");
        assertThat(header(record, DeadLetters.REASON)).contains("names schema id 424242").contains("does not know");
        assertThat(header(record, DeadLetters.SOURCE)).isEqualTo("mcp.audit.events.v1/0@0");
      });

      TestOutputTopic<String, Alert> alerts = driver.createOutputTopic(Topics.ALERTS.name(),
          Serdes.String().deserializer(), Topics.ALERTS.valueSerde(registry).deserializer());
      assertThat(alerts.readValuesToList()).as("the events after the poison record are still processed")
          .extracting(Alert::getCategory).containsExactly("session-hijack");
    }
  }

  @Test
  void anUnreachableRegistryIsRetriedNotDeadLettered() throws Exception {
    InMemorySchemaRegistry known = new InMemorySchemaRegistry();
    // A registry that knows what this process registered but cannot be asked about anything else.
    io.mcpaudit.schema.registry.SchemaRegistry away = new io.mcpaudit.schema.registry.SchemaRegistry() {
      @Override
      public int register(String subject, org.apache.avro.Schema schema) {
        return known.register(subject, schema);
      }

      @Override
      public int lookupId(String subject, org.apache.avro.Schema schema) {
        return known.lookupId(subject, schema);
      }

      @Override
      public org.apache.avro.Schema schemaById(int id) {
        throw new io.mcpaudit.schema.registry.RegistryUnreachableException(java.net.URI.create("http://127.0.0.1:9"),
            new java.net.ConnectException("Connection refused"));
      }

      @Override
      public io.mcpaudit.schema.registry.RegisteredSchema latest(String subject) {
        return known.latest(subject);
      }

      @Override
      public String location() {
        return "http://127.0.0.1:9";
      }
    };
    var topology = DetectionTopology.build(new DetectionTopology.Inputs(PipelineConfig.defaults(), away,
        RuleStage.none(), DetectorCatalog.defaults(), ToolRisk.defaults(), rule -> Duration.ofMinutes(10)));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "dlq-registry-away-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("dlq-test").toString());
    props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterDeserializationHandler.class);

    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      TestInputTopic<String, byte[]> raw = driver.createInputTopic(Topics.EVENTS.name(),
          Serdes.String().serializer(), Serdes.ByteArray().serializer());
      byte[] event = ByteBuffer.allocate(9).put((byte) 0).putInt(7).put(new byte[] {2, 4, 6, 8}).array();

      org.assertj.core.api.Assertions.assertThatThrownBy(() -> raw.pipeInput(new TestRecord<>("s1", event, Instant.now())))
          .hasMessageContaining("Deserialization exception handler is set to fail");
      TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic(Topics.DLQ.name(),
          Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
      assertThat(dlq.readRecordsToList()).as("a record is no poison because the registry is away").isEmpty();
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
