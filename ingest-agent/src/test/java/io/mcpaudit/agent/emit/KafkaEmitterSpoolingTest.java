package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.event.AuditEvent;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delivery when nothing answers: events go to the spool in order, and what does not fit is counted. */
class KafkaEmitterSpoolingTest {
  @TempDir
  Path dir;

  @Test
  void spoolsInOrderWhileKafkaIsUnreachableAndCountsWhatDoesNotFit() throws Exception {
    int kafkaPort = EmitFixtures.closedPort();
    int registryPort = EmitFixtures.closedPort();
    List<String> status = new CopyOnWriteArrayList<>();
    Spool spool = Spool.open(dir.resolve("spool"), 2048, 1024);
    SchemaRegistryClient registry = new SchemaRegistryClient(
        SchemaRegistryConfig.of(URI.create("http://127.0.0.1:" + registryPort)));
    List<AuditEvent> events = EmitFixtures.events(40);
    AvroEventCodec codec = new AvroEventCodec();
    DeliverySettings delivery = new DeliverySettings("127.0.0.1:" + kafkaPort, "mcp.audit.events.v1", Map.of(), "test",
        Duration.ofSeconds(30), Duration.ofSeconds(1));
    try (KafkaEmitter emitter = new KafkaEmitter(delivery, registry, spool, OrphanedSpools.none(), status::add,
        Clock.systemUTC())) {
      events.forEach(emitter::deliver);
      assertThat(emitter.isSpooling()).isTrue();
      assertThat(status.get(0)).startsWith("mcp-audit agent: Kafka at 127.0.0.1:" + kafkaPort + " is unreachable (")
          .contains("events are being spooled to " + spool.dir() + " (0 B of 2 KiB)");
      long kept = spool.records();
      assertThat(kept).isBetween(1L, 39L);
      assertThat(status).anyMatch(line -> line.contains("is full") && line.contains("LOST"));
      // The oldest events are the ones kept, in order.
      assertThat(spool.peek(100)).extracting(bytes -> codec.decode(bytes).getSequence())
          .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, kept).boxed().toList());
      // Nothing can carry a loss report while the spool is still full.
      assertThat(emitter.takeLoss()).isEmpty();
      spool.commit((int) kept);
      EventSink.Loss loss = emitter.takeLoss().orElseThrow();
      assertThat(loss.events()).isEqualTo(40 - kept);
      assertThat(loss.firstSequence()).isEqualTo(kept + 1);
      assertThat(loss.reason()).contains("spool full");
      assertThat(emitter.takeLoss()).as("taken once").isEmpty();
    }
  }
}
