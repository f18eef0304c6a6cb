package io.mcpaudit.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigLoaderTest {
  @TempDir
  Path dir;

  private AgentConfigLoader loader() {
    return new AgentConfigLoader(dir.resolve("home"));
  }

  @Test
  void optionsWinOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(file, """
        agent:
          id: from-file
        kafka:
          bootstrap: file-host:9092
          schema-registry: http://registry:8081
          retry-interval: 2s
          producer:
            security.protocol: SSL
        spool:
          max-bytes: 64MiB
          dir: ~/spool
        redaction.max-text-bytes: 16KiB
        """);
    AgentConfig config = loader().load(Optional.of(file),
        Map.of("MCP_AUDIT_KAFKA_BOOTSTRAP", "env-host:9092", "MCP_AUDIT_AGENT_ID", "from-env", "UNRELATED", "x"),
        Map.of("agent.id", "from-option"));
    assertThat(config.agentId()).isEqualTo("from-option");
    assertThat(config.kafkaBootstrap()).contains("env-host:9092");
    assertThat(config.schemaRegistryUrl().orElseThrow()).hasToString("http://registry:8081");
    assertThat(config.kafkaRetryInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.producerProperties()).containsEntry("security.protocol", "SSL");
    assertThat(config.spoolMaxBytes()).isEqualTo(64L << 20);
    assertThat(config.spoolDir()).isEqualTo(dir.resolve("home/spool"));
    assertThat(config.maxTextBytes()).isEqualTo(16 * 1024);
    assertThat(config.fingerprintKeyFile()).isEqualTo(dir.resolve("home/.mcp-audit/agent/fingerprint.key"));
  }

  @Test
  void kafkaNoneNeedsNoRegistryAndDefaultsApply() {
    AgentConfig config = loader().load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap", "none"));
    assertThat(config.kafkaBootstrap()).isEmpty();
    assertThat(config.spoolMaxBytes()).isEqualTo(512L << 20);
    assertThat(config.maxTextBytes()).isEqualTo(64 * 1024);
    assertThat(config.agentId()).isNotBlank();
    assertThat(config.captureFile()).isEmpty();
  }

  @Test
  void everyBadKeyGetsItsOwnLine() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, """
        kafka:
          bootstrp: localhost:9092
          schema-registry: ftp://registry
        spool:
          max-bytes: lots
        queue:
          max-events: -3
        """);
    Map<String, String> env = new HashMap<>();
    env.put("MCP_AUDIT_KAFKA_RETRY_INTERVAL", "soon");
    assertThatThrownBy(() -> loader().load(Optional.of(file), env, Map.of("kafka.bootstrap", "localhost")))
        .isInstanceOf(AgentConfigException.class)
        .satisfies(e -> assertThat(((AgentConfigException) e).problems()).containsExactlyInAnyOrder(
            "kafka.bootstrp (from " + file + "): unknown key (did you mean 'kafka.bootstrap'?)",
            "kafka.bootstrap (from option): 'localhost' is not host:port",
            "kafka.schema-registry (from " + file + "): 'ftp://registry' is not an http(s) URL",
            "kafka.retry-interval (from MCP_AUDIT_KAFKA_RETRY_INTERVAL): 'soon' is not a duration (use for example 5s,"
                + " 500ms or 1m)",
            "spool.max-bytes (from " + file + "): 'lots' is not a size (use for example 512MiB, 64KiB or 1048576)",
            "queue.max-events (from " + file + "): must be between 100 and 2147483647, got -3"));
  }

  @Test
  void kafkaMustBeChosenExplicitly() {
    assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of(), Map.of()))
        .hasMessageContaining("--kafka none");
    assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap", "k:9092")))
        .hasMessageContaining("--schema-registry");
  }

  @Test
  void aMissingConfigFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");
    assertThatThrownBy(() -> loader().load(Optional.of(missing), Map.of(), Map.of("kafka.bootstrap", "none")))
        .hasMessageContaining(missing + ": no such file");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertThat(AgentConfigLoader.envName("kafka.schema-registry")).isEqualTo("MCP_AUDIT_KAFKA_SCHEMA_REGISTRY");
    assertThat(AgentConfigLoader.envName("spool.max-bytes")).isEqualTo("MCP_AUDIT_SPOOL_MAX_BYTES");
  }
}
