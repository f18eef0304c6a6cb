package io.mcpaudit.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.mcpaudit.event.Alert;
import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.SampleEvents;
import io.mcpaudit.schema.registry.InMemorySchemaRegistry;
import io.mcpaudit.testing.AllocationBudget;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the Confluent wire-format deserializer with arbitrary record bytes, as a consumer of the
 * events topic may receive them. The contract: a record decodes, or fails with a
 * {@link SerializationException} that says why; nothing else escapes, no record hangs the consumer
 * or allocates out of proportion to its size, and a record that decodes serializes back to the same value.
 *
 * <p>The registry holds the event schema (id 1), the alert schema (id 2, which the event reader cannot
 * resolve) and a later event schema with an added field (id 3), so writer ids exercise schema
 * resolution as well as plain reads.
 * Seeds: {@code AvroDeserializerFuzzTestInputs/}; fuzzing: docs/reliability.md.
 */
class AvroDeserializerFuzzTest {
  private static final String TOPIC = "mcp.audit.events.v1";
  /** Decoding a record may allocate 16 MiB plus 512 bytes per byte it holds: no amplification. */
  private static final AllocationBudget BUDGET = new AllocationBudget(16L << 20, 512);

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Serde<AuditEvent> events;
  private final AvroDeserializer<Object> generic;

  AvroDeserializerFuzzTest() {
    registry.register(TOPIC + "-value", AuditEvent.getClassSchema());
    registry.register("mcp.audit.alerts.v1-value", Alert.getClassSchema());
    registry.register(TOPIC + "-value", laterEventSchema());
    events = AvroSerde.forValues(registry, AuditEvent.class);
    generic = AvroDeserializer.generic(registry);
    // Build the readers for every writer id up front: only what one record costs is measured.
    byte[] sample = events.serializer().serialize(TOPIC, SampleEvents.toolCall("s-1", "read_file", "{}"));
    for (int id = 1; id <= 3; id++) {
      ByteBuffer.wrap(sample).putInt(1, id);
      for (Deserializer<?> deserializer : List.of(events.deserializer(), generic)) {
        try {
          deserializer.deserialize(TOPIC, sample);
        } catch (SerializationException expected) {
          // id 2 (alerts) does not resolve into events
        }
      }
    }
  }

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void recordBytesDecodeIntoAuditEventsOrFailClearly(byte[] record) {
    AllocationBudget.Measurement cost = BUDGET.start();
    AuditEvent event;
    try {
      event = events.deserializer().deserialize(TOPIC, record);
    } catch (SerializationException e) {
      assertThat(e.getMessage()).as("a refused record says why").contains(TOPIC);
      return;
    } finally {
      cost.assertWithin(record.length);
    }
    assertThat(event).as("only a null record decodes to null").isNotNull();
    byte[] again = events.serializer().serialize(TOPIC, event);
    assertThat(events.deserializer().deserialize(TOPIC, again)).as("a decoded event survives a round trip")
        .isEqualTo(event);
  }

  @FuzzTest(maxDuration = "60s")
  @Timeout(value = 10, unit = TimeUnit.SECONDS)
  void recordBytesDecodeIntoGenericRecordsOrFailClearly(byte[] record) {
    AllocationBudget.Measurement cost = BUDGET.start();
    Object decoded;
    try {
      decoded = generic.deserialize(TOPIC, record);
    } catch (SerializationException e) {
      assertThat(e.getMessage()).as("a refused record says why").contains(TOPIC);
      return;
    } finally {
      cost.assertWithin(record.length);
    }
    assertThat(decoded).isInstanceOf(GenericRecord.class);
  }

  /** The event schema as a later writer may send it: one more optional envelope field. */
  static Schema laterEventSchema() {
    Schema current = AuditEvent.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : current.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    fields.add(new Schema.Field("agentVersion",
        Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.STRING)), null,
        Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }
}
