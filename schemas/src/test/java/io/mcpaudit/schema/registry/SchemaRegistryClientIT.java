package io.mcpaudit.schema.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.stack.StackEndpoints;
import io.mcpaudit.testing.RealServices;
import java.net.ServerSocket;
import java.net.URI;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry client against a real Confluent-API schema registry. */
@RealServices
class SchemaRegistryClientIT {
  private SchemaRegistryClient client;
  private String subject;

  @BeforeEach
  void connect(StackEndpoints stack) {
    client = new SchemaRegistryClient(SchemaRegistryConfig.of(stack.schemaRegistryUrl()));
    subject = "it-" + UUID.randomUUID() + "-value";
  }

  @Test
  void registersIdempotentlyAndLooksSchemasUpByIdAndSubject() {
    Schema schema = AuditEvent.getClassSchema();

    int id = client.register(subject, schema);
    SchemaRegistryClient fresh = new SchemaRegistryClient(client.config());

    assertThat(fresh.register(subject, schema)).isEqualTo(id);
    assertThat(fresh.lookupId(subject, schema)).isEqualTo(id);
    assertThat(fresh.schemaById(id)).isEqualTo(schema);
    assertThat(fresh.versions(subject)).containsExactly(1);
    assertThat(fresh.latest(subject)).satisfies(latest -> {
      assertThat(latest.id()).isEqualTo(id);
      assertThat(latest.version()).isEqualTo(1);
      assertThat(latest.schema()).isEqualTo(schema);
    });
    assertThat(fresh.subjects()).contains(subject);
  }

  @Test
  void acceptsACompatibleChangeAndRejectsAnIncompatibleOneWith409() {
    Schema v1 = SchemaBuilder.record("Probe").namespace("io.mcpaudit.it").fields()
        .requiredString("id").endRecord();
    Schema v2Compatible = SchemaBuilder.record("Probe").namespace("io.mcpaudit.it").fields()
        .requiredString("id").name("note").type().nullable().stringType().stringDefault(null).endRecord();
    Schema v3Incompatible = SchemaBuilder.record("Probe").namespace("io.mcpaudit.it").fields()
        .requiredString("id").requiredLong("mandatory").endRecord();
    client.register(subject, v1);
    client.setCompatibility(subject, CompatibilityLevel.BACKWARD);

    assertThat(client.isCompatible(subject, v2Compatible)).isTrue();
    assertThat(client.isCompatible(subject, v3Incompatible)).isFalse();
    client.register(subject, v2Compatible);
    assertThatThrownBy(() -> client.register(subject, v3Incompatible))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining(subject)
        .hasMessageContaining("incompatible")
        .extracting(e -> ((SchemaRegistryException) e).httpStatus()).isEqualTo(409);
  }

  @Test
  void anUnknownSchemaIdIsReportedAsNotFound() {
    assertThatThrownBy(() -> client.schemaById(Integer.MAX_VALUE - 7))
        .isInstanceOf(SchemaNotFoundException.class)
        .hasMessageContaining("/schemas/ids/" + (Integer.MAX_VALUE - 7))
        .hasMessageContaining("not found");
  }

  @Test
  void anUnreachableRegistryIsReportedWithItsUrl() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    URI url = URI.create("http://127.0.0.1:" + closedPort + "/apis/ccompat/v7");
    SchemaRegistryClient unreachable = new SchemaRegistryClient(SchemaRegistryConfig.of(url));

    assertThatThrownBy(() -> unreachable.register(subject, AuditEvent.getClassSchema()))
        .isInstanceOf(RegistryUnreachableException.class)
        .hasMessage("schema registry at " + url + " is unreachable (connection refused)");
  }
}
