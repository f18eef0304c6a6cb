package io.mcpaudit.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.SampleEvents;
import io.mcpaudit.schema.chain.EventHashChain;
import io.mcpaudit.schema.registry.InMemorySchemaRegistry;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {
  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  private final Serde<AuditEvent> serde = AvroSerde.forValues(registry, AuditEvent.class);

  @Test
  void writesTheConfluentHeaderAndReadsTheRecordBack() {
    AuditEvent event = new EventHashChain().link(SampleEvents.toolCall("s1", "read_file", "{}"));

    byte[] bytes = serde.serializer().serialize("events", event);

    ByteBuffer header = ByteBuffer.wrap(bytes);
    assertThat(header.get()).isEqualTo((byte) 0);
    assertThat(header.getInt()).isEqualTo(registry.lookupId("events-value", AuditEvent.getClassSchema()));
    assertThat(serde.deserializer().deserialize("events", bytes)).isEqualTo(event);
  }

  @Test
  void withoutAutoRegistrationAnUnregisteredSchemaIsRefused() {
    AvroSerializer<AuditEvent> strict = new AvroSerializer<>(registry, new AvroSerdeConfig(false, false), false);

    assertThatThrownBy(() -> strict.serialize("events", SampleEvents.toolCall("s1", "t", "{}")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("io.mcpaudit.event.AuditEvent")
        .hasMessageContaining("events-value");
  }

  @Test
  void trailingBytesAfterTheRecordAreRejected() {
    byte[] bytes = serde.serializer().serialize("events", SampleEvents.toolCall("s1", "t", "{}"));
    byte[] longer = ByteBuffer.allocate(bytes.length + 3).put(bytes).put(new byte[] {1, 2, 3}).array();

    assertThatThrownBy(() -> serde.deserializer().deserialize("events", longer))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("trailing bytes");
  }

  @Test
  void aTruncatedRecordFailsWithTheSchemaId() {
    byte[] bytes = serde.serializer().serialize("events", SampleEvents.toolCall("s1", "t", "{}"));
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);

    assertThatThrownBy(() -> serde.deserializer().deserialize("events", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("does not decode with schema id");
  }

  @Test
  void aSchemaIdTheRegistryDoesNotKnowIsNamedInTheError() {
    byte[] unknown = ByteBuffer.allocate(8).put((byte) 0).putInt(424_242).put(new byte[] {2, 4, 6}).array();

    assertThatThrownBy(() -> serde.deserializer().deserialize("events", unknown))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("record on topic 'events' names schema id 424242")
        .hasMessageContaining("does not know");
  }

  @Test
  void aRecordClaimingAHugeLengthIsPoisonNotAnAllocation() {
    int id = registry.register("events-value", AuditEvent.getClassSchema());
    // Magic byte, schema id, then the first field (event id, a string) claiming 2^31 - 11 bytes.
    byte[] claimsTwoGiB = ByteBuffer.allocate(10).put((byte) 0).putInt(id)
        .put(new byte[] {(byte) 0xea, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}).array();
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory() - rt.freeMemory();

    assertThatThrownBy(() -> serde.deserializer().deserialize("events", claimsTwoGiB))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("does not decode");
    long grown = (rt.totalMemory() - rt.freeMemory()) - before;
    assertThat(grown).as("bytes allocated for a 10-byte record").isLessThan(256L * 1024 * 1024);
  }
}
