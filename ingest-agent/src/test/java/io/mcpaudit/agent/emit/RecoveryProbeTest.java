package io.mcpaudit.agent.emit;

import static org.assertj.core.api.Assertions.assertThat;

import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recovery probe talks to Kafka with the same client settings as the producer it stands in for. */
class RecoveryProbeTest {
  @TempDir
  Path dir;

  @Test
  void takesEveryClientSettingOfTheProducerAndItsConfigProvidersButNoProducerOnlySetting() {
    Map<String, Object> config = RecoveryProbe.adminConfig("k1:9092", "agent", Map.of(
        "config.providers", "file",
        "config.providers.file.class", FileConfigProvider.class.getName(),
        "security.protocol", "SASL_SSL",
        "sasl.jaas.config", "${file:/etc/mcp-audit/kafka.properties:jaas}",
        "ssl.truststore.location", "/etc/mcp-audit/truststore.p12",
        "client.dns.lookup", "use_all_dns_ips",
        "socket.connection.setup.timeout.ms", "5000",
        "linger.ms", "50",
        "acks", "1"));
    assertThat(config)
        .containsEntry("config.providers", "file")
        .containsEntry("config.providers.file.class", FileConfigProvider.class.getName())
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.jaas.config", "${file:/etc/mcp-audit/kafka.properties:jaas}")
        .containsEntry("ssl.truststore.location", "/etc/mcp-audit/truststore.p12")
        .containsEntry("client.dns.lookup", "use_all_dns_ips")
        .containsEntry("socket.connection.setup.timeout.ms", "5000")
        .containsEntry("bootstrap.servers", "k1:9092")
        .containsEntry("client.id", "agent-probe")
        .doesNotContainKeys("linger.ms", "acks");
  }

  @Test
  void aLoginThatAConfigProviderResolvesKeepsTheProbeRunning() throws Exception {
    Path secrets = Files.writeString(dir.resolve("kafka.properties"),
        "jaas=org.apache.kafka.common.security.plain.PlainLoginModule required username=\"agent\" password=\"s3cret\";\n");
    List<String> status = new CopyOnWriteArrayList<>();
    SchemaRegistryClient registry = new SchemaRegistryClient(
        SchemaRegistryConfig.of(URI.create("http://127.0.0.1:" + EmitFixtures.closedPort())));
    Map<String, Object> producerSettings = Map.of(
        "config.providers", "file",
        "config.providers.file.class", FileConfigProvider.class.getName(),
        "security.protocol", "SASL_PLAINTEXT",
        "sasl.mechanism", "PLAIN",
        "sasl.jaas.config", "${file:" + secrets + ":jaas}");
    try (RecoveryProbe probe = new RecoveryProbe("127.0.0.1:" + EmitFixtures.closedPort(), "agent", producerSettings, registry,
        "mcp.audit.events.v1-value", Duration.ofMinutes(10), status::add).start()) {
      boolean reachable = probe.awaitReachable(Deadline.after(Duration.ofSeconds(30)));

      assertThat(reachable).isFalse();
      assertThat(status).as("the admin client could be built: the login was resolved").isEmpty();
      assertThat(probe.downReason()).as("a check ran and found Kafka unreachable").isNotNull();
    }
  }
}
