package io.mcpaudit.schema.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.event.AuditEvent;
import java.net.URI;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  // Nothing listens here: the header checks must fail before any registry call.
  private final SchemaRegistryClient unreachable =
      new SchemaRegistryClient(SchemaRegistryConfig.of(URI.create("http://127.0.0.1:9")));

  @Test
  void readsTheSchemaIdAfterTheMagicByte() {
    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {0, 0, 0, 1, 2, 42});
    assertThat(WireFormat.readSchemaId("t", buffer)).isEqualTo(258);
    assertThat(buffer.position()).isEqualTo(5);
  }

  @Test
  void aRecordWithAnotherMagicByteIsRejectedByName() {
    AvroDeserializer<AuditEvent> deserializer = new AvroDeserializer<>(unreachable, AuditEvent.class);
    byte[] json = "{\"eventId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> deserializer.deserialize("mcp.audit.events.v1", json))
        .isInstanceOf(UnknownMagicByteException.class)
        .hasMessageContaining("mcp.audit.events.v1")
        .hasMessageContaining("0x7b")
        .hasMessageContaining("not the Confluent wire format's magic byte 0x00");
  }

  @Test
  void aRecordTooShortForTheHeaderIsRejected() {
    AvroDeserializer<AuditEvent> deserializer = new AvroDeserializer<>(unreachable, AuditEvent.class);

    assertThatThrownBy(() -> deserializer.deserialize("events", new byte[] {0, 0, 1}))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("3 bytes, too short");
  }

  @Test
  void nullStaysNullForTombstones() {
    assertThat(new AvroDeserializer<>(unreachable, AuditEvent.class).deserialize("t", null)).isNull();
    assertThat(new AvroSerializer<AuditEvent>(unreachable, AvroSerdeConfig.defaults(), false).serialize("t", null))
        .isNull();
  }

  @Test
  void subjectsFollowTheTopicNameStrategy() {
    assertThat(Subjects.forTopic("mcp.audit.events.v1", false)).isEqualTo("mcp.audit.events.v1-value");
    assertThat(Subjects.forTopic("mcp.audit.events.v1", true)).isEqualTo("mcp.audit.events.v1-key");
  }
}
