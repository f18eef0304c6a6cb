package io.mcpaudit.cli.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientConfigTest {
  @Command(name = "probe")
  static final class Probe implements Runnable {
    @Mixin
    ClusterOptions cluster;

    @Override
    public void run() {}
  }

  @Test
  void readsTheClientPropertiesFileAndLeavesTheBootstrapToTheFlag(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(file, """
        # TLS + SCRAM, as in deploy/kubernetes/pipeline/kafka-client-config.yaml
        security.protocol=SASL_SSL
        sasl.mechanism=SCRAM-SHA-512
        sasl.jaas.config=${dir:/etc/mcp-audit/kafka-user:sasl.jaas.config}
        bootstrap.servers=ignored:9092
        num.standby.replicas = 1 \s
        """);
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs("--kafka", "broker:9093", "--kafka-config", file.toString());

    Map<String, Object> config = probe.cluster.kafkaClientConfig();

    assertThat(config).containsOnly(
        Map.entry("security.protocol", "SASL_SSL"),
        Map.entry("sasl.mechanism", "SCRAM-SHA-512"),
        Map.entry("sasl.jaas.config", "${dir:/etc/mcp-audit/kafka-user:sasl.jaas.config}"),
        Map.entry("num.standby.replicas", "1"));
    assertThat(probe.cluster.kafka()).isEqualTo("broker:9093");
  }

  @Test
  void noFileMeansNoExtraSettings() {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs("--kafka", "broker:9093");
    if (System.getenv("MCP_AUDIT_KAFKA_CONFIG") == null) {
      assertThat(probe.cluster.kafkaClientConfig()).isEmpty();
    }
  }

  @Test
  void aMissingFileIsNamedInTheError(@TempDir Path dir) {
    Probe probe = new Probe();
    Path missing = dir.resolve("nope.properties");
    new CommandLine(probe).parseArgs("--kafka-config", missing.toString());

    assertThatThrownBy(() -> probe.cluster.kafkaClientConfig())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot read the Kafka client properties " + missing);
  }
}
