package io.mcpaudit.streams.sink.opensearch;

import java.util.Map;

/** The indexer's Kafka side: brokers, its own consumer group, batch size, and client settings (TLS, SASL). */
public record IndexerSettings(String bootstrapServers, String groupId, int batchSize, Map<String, Object> clientConfig) {
  public IndexerSettings {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    clientConfig = Map.copyOf(clientConfig);
  }

  public static IndexerSettings defaults(String bootstrapServers) {
    return new IndexerSettings(bootstrapServers, "mcp-audit-indexer", 2000, Map.of());
  }
}
