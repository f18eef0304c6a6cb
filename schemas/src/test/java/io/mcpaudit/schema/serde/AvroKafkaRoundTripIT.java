package io.mcpaudit.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.SampleEvents;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Avro events through a real broker, with their schema registered in a real registry. */
@RealServices
class AvroKafkaRoundTripIT {
  private StackEndpoints stack;
  private SchemaRegistryClient registry;
  private String topic;

  @BeforeEach
  void setUp(StackEndpoints stack) {
    this.stack = stack;
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    this.topic = "it.events." + UUID.randomUUID();
  }

  @Test
  void anEventProducedWithItsRegisteredSchemaIsConsumedAndDecodedById() {
    EventHashChain chain = new EventHashChain();
    List<AuditEvent> sent = List.of(
        chain.link(SampleEvents.toolCall("s1", "read_file", "{\"path\":\"/srv/docs/a.md\"}")),
        chain.link(SampleEvents.toolCall("s1", "write_file", "{\"path\":\"/srv/docs/b.md\"}")));

    try (KafkaProducer<String, AuditEvent> producer = new KafkaProducer<>(producerProps(),
        new StringSerializer(), new AvroSerializer<>(registry, AvroSerdeConfig.defaults(), false))) {
      for (AuditEvent event : sent) {
        producer.send(new ProducerRecord<>(topic, event.getSessionId(), event));
      }
      producer.flush();
    }

    // A consumer with its own client resolves the schema by the id in each record.
    SchemaRegistryClient consumerRegistry = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    List<ConsumerRecord<String, AuditEvent>> received = consume(
        new AvroDeserializer<>(consumerRegistry, AuditEvent.class), sent.size());

    assertThat(received).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
    assertThat(received).extracting(ConsumerRecord::key).containsOnly("s1");
    assertThat(received).allSatisfy(record -> assertThat(EventHashChain.isIntact(record.value())).isTrue());
    int registeredId = registry.lookupId(topic + "-value", AuditEvent.getClassSchema());
    assertThat(consumerRegistry.schemaById(registeredId)).isEqualTo(AuditEvent.getClassSchema());
  }

  @Test
  void aRecordNamingASchemaIdTheRegistryDoesNotKnowFailsWithThatId() {
    byte[] poison = ByteBuffer.allocate(9).put(WireFormat.MAGIC_BYTE).putInt(Integer.MAX_VALUE - 11).putInt(42).array();
    AvroDeserializer<AuditEvent> deserializer = new AvroDeserializer<>(registry, AuditEvent.class);

    assertThatThrownBy(() -> deserializer.deserialize(topic, poison))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id " + (Integer.MAX_VALUE - 11))
        .hasMessageContaining("does not know")
        .hasMessageContaining(stack.schemaRegistryUrl().toString());
  }

  @Test
  void aPoisonRecordOnTheTopicIsReportedByOffsetAndReason() {
    try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(producerProps(),
        new StringSerializer(), new ByteArraySerializer())) {
      raw.send(new ProducerRecord<>(topic, "s1", "{\"not\":\"avro\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      raw.flush();
    }

    try (KafkaConsumer<String, AuditEvent> consumer = new KafkaConsumer<>(consumerProps(),
        new StringDeserializer(), new AvroDeserializer<>(registry, AuditEvent.class))) {
      consumer.subscribe(List.of(topic));
      assertThatThrownBy(() -> {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
          consumer.poll(Duration.ofMillis(500));
        }
      })
          .isInstanceOf(RecordDeserializationException.class)
          .hasRootCauseInstanceOf(UnknownMagicByteException.class)
          .satisfies(e -> assertThat(((RecordDeserializationException) e).offset()).isZero());
    }
  }

  private <T> List<ConsumerRecord<String, T>> consume(org.apache.kafka.common.serialization.Deserializer<T> values, int expected) {
    List<ConsumerRecord<String, T>> received = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), values)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (received.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(received::add);
      }
    }
    return received;
  }

  private Map<String, Object> producerProps() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
  }

  private Map<String, Object> consumerProps() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
        ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
  }
}
