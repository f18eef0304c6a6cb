package io.mcpaudit.streams.app;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the detection pipeline runs: brokers, registry, its Kafka Streams identity and sizing.
 *
 * @param extraStreamsConfig further Kafka Streams / client settings (TLS, SASL), passed through unchanged
 */
public record PipelineSettings(String bootstrapServers, String schemaRegistryUrl, String applicationId, Path stateDir,
                               int streamThreads, int partitions, short replicationFactor,
                               Map<String, Object> extraStreamsConfig) {
  public PipelineSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("the Kafka bootstrap servers are required (--kafka HOST:PORT)");
    }
    if (schemaRegistryUrl == null || schemaRegistryUrl.isBlank()) {
      throw new IllegalArgumentException("the schema registry URL is required (--schema-registry URL)");
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("stream threads must be at least 1, got " + streamThreads);
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
    }
    extraStreamsConfig = Map.copyOf(extraStreamsConfig);
  }

  /** A single-node development setup: what {@code mcp-audit up} runs against the local stack. */
  public static PipelineSettings local(String bootstrapServers, String schemaRegistryUrl, Path stateDir) {
    return new PipelineSettings(bootstrapServers, schemaRegistryUrl, "mcp-audit-pipeline", stateDir, 1, 3, (short) 1,
        Map.of());
  }
}
