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
          drain-timeout: 1500ms
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
    assertThat(config.kafkaDrainTimeout()).isEqualTo(Duration.ofMillis(1500));
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
    assertThat(config.kafkaDrainTimeout()).isEqualTo(Duration.ofSeconds(5));
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
    env.put("MCP_AUDIT_KAFKA_DRAIN_TIMEOUT", "10ms");
    assertThatThrownBy(() -> loader().load(Optional.of(file), env, Map.of("kafka.bootstrap", "localhost")))
        .isInstanceOf(AgentConfigException.class)
        .satisfies(e -> assertThat(((AgentConfigException) e).problems()).containsExactlyInAnyOrder(
            "kafka.bootstrp (from " + file + "): unknown key (did you mean 'kafka.bootstrap'?)",
            "kafka.bootstrap (from option): 'localhost' is not host:port",
            "kafka.schema-registry (from " + file + "): 'ftp://registry' is not an http(s) URL",
            "kafka.retry-interval (from MCP_AUDIT_KAFKA_RETRY_INTERVAL): 'soon' is not a duration (use for example 5s,"
                + " 500ms, 1m or 1h)",
            "kafka.drain-timeout (from MCP_AUDIT_KAFKA_DRAIN_TIMEOUT): must be at least 100ms",
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
  void httpModeAndTheApprovalEndpointAreConfiguredLikeEverythingElse() throws Exception {
    Path file = dir.resolve("http.yaml");
    Files.writeString(file, """
        kafka: {bootstrap: none, topic: it.events.x}
        http:
          listen: 127.0.0.1:8080
          upstream: https://mcp.example.com/base
          max-request-bytes: 1MiB
          allowed-hosts: [mcp-proxy.internal, "localhost:8080"]
          idle-timeout: 2h
        approvals:
          listen: "[::1]:8089"
        """);
    AgentConfig config = loader().load(Optional.of(file),
        Map.of("MCP_AUDIT_APPROVALS_TOKEN", "0123456789abcdef0123"), Map.of("http.allowed-origins",
            "http://localhost:6274"));
    assertThat(config.eventsTopic()).isEqualTo("it.events.x");
    assertThat(config.http().listen().orElseThrow()).isEqualTo(new HostPort("127.0.0.1", 8080));
    assertThat(config.http().upstream().orElseThrow()).hasToString("https://mcp.example.com/base");
    assertThat(config.http().maxRequestBytes()).isEqualTo(1L << 20);
    assertThat(config.http().allowedHosts()).containsExactly("mcp-proxy.internal", "localhost:8080");
    assertThat(config.http().allowedOrigins()).containsExactly("http://localhost:6274");
    assertThat(config.http().idleTimeout()).isEqualTo(Duration.ofHours(2));
    assertThat(config.approvals().listen().orElseThrow()).isEqualTo(new HostPort("::1", 8089));
    assertThat(config.approvals().token()).contains("0123456789abcdef0123");
    assertThat(config.toString()).doesNotContain("0123456789abcdef0123");
    assertThat(loader().load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap", "none")).eventsTopic())
        .isEqualTo("mcp.audit.events.v1");
  }

  @Test
  void badHttpAndApprovalSettingsAreReportedPerKey() {
    assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of("MCP_AUDIT_APPROVALS_TOKEN", "short"), Map.of(
        "kafka.bootstrap", "none", "http.listen", "localhost", "http.upstream", "ftp://x",
        "http.allowed-origins", "localhost:3000", "http.preserve-host", "maybe", "approvals.listen", "127.0.0.1:99999",
        "kafka.topic", "bad topic")))
        .isInstanceOf(AgentConfigException.class)
        .satisfies(e -> assertThat(((AgentConfigException) e).problems()).containsExactlyInAnyOrder(
            "http.listen (from option): 'localhost' is not HOST:PORT (for example 127.0.0.1:8080 or [::1]:8080)",
            "http.upstream (from option): 'ftp://x' is not an http(s) URL (for example http://127.0.0.1:3001)",
            "http.allowed-origins (from option): 'localhost:3000' is not an origin (scheme://host[:port], for example"
                + " http://localhost:6274)",
            "http.preserve-host (from option): 'maybe' is not true or false",
            "approvals.listen (from option): port 99999 is out of range (0-65535)",
            "approvals.token (from MCP_AUDIT_APPROVALS_TOKEN): the approval secret must be at least 16 characters",
            "kafka.topic (from option): 'bad topic' is not a Kafka topic name (letters, digits, . _ -)"));
    assertThatThrownBy(() -> loader().load(Optional.empty(), Map.of(), Map.of("kafka.bootstrap", "none",
        "approvals.listen", "127.0.0.1:8089")))
        .hasMessageContaining("approvals.token: not set");
  }

  @Test
  void environmentNamesFollowTheKeys() {
    assertThat(AgentConfigLoader.envName("kafka.schema-registry")).isEqualTo("MCP_AUDIT_KAFKA_SCHEMA_REGISTRY");
    assertThat(AgentConfigLoader.envName("spool.max-bytes")).isEqualTo("MCP_AUDIT_SPOOL_MAX_BYTES");
  }
}
