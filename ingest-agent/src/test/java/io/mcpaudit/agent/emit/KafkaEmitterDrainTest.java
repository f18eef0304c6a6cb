package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping while Kafka does not answer: bounded by the drain timeout, and nothing leaves the spool. */
class KafkaEmitterDrainTest {
  @TempDir
  Path dir;

  @Test
  void stoppingWhileKafkaIsSilentEndsAtTheDrainDeadlineAndKeepsEveryEventInTheSpool() throws Exception {
    List<String> status = new CopyOnWriteArrayList<>();
    List<AuditEvent> events = EmitFixtures.events(25);
    // Kafka accepts connections and never answers: the probe's own check would wait 3 s for it.
    try (ServerSocket silentKafka = new ServerSocket(0)) {
      SchemaRegistryClient registry = new SchemaRegistryClient(
          SchemaRegistryConfig.of(URI.create("http://127.0.0.1:" + EmitFixtures.closedPort())));
      DeliverySettings delivery = new DeliverySettings("127.0.0.1:" + silentKafka.getLocalPort(),
          "mcp.audit.events.v1", Map.of(), "test", Duration.ofMinutes(10), Duration.ofMillis(300));
      KafkaEmitter emitter = new KafkaEmitter(delivery, registry, Spool.open(dir.resolve("spool"), 1 << 20, 1 << 16),
          OrphanedSpools.none(), status::add, Clock.systemUTC());
      events.forEach(emitter::deliver);
      assertThat(emitter.isSpooling()).isTrue();

      assertTimeoutPreemptively(Duration.ofMillis(2_500), emitter::close,
          "stopping must end at the 300 ms drain deadline, not when Kafka's 3 s timeouts expire");
    }

    assertThat(status).anySatisfy(line -> assertThat(line)
        .contains("25 events stay in the spool " + dir.resolve("spool"))
        .contains("the next agent started with this spool.dir, Kafka and topic sends them"));
    assertThat(status).noneMatch(line -> line.contains("reachable again"));
    try (Spool reopened = Spool.open(dir.resolve("spool"), 1 << 20, 1 << 16)) {
      AvroEventCodec codec = new AvroEventCodec();
      assertThat(reopened.peek(100)).extracting(bytes -> codec.decode(bytes).getEventId())
          .as("every event, once, in order").containsExactlyElementsOf(events.stream().map(AuditEvent::getEventId).toList());
    }
  }
}
