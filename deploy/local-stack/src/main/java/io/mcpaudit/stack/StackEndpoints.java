package io.mcpaudit.stack;

import java.net.URI;
import java.util.Map;

/**
 * Where clients reach the three servers.
 *
 * @param kafkaBootstrap    {@code host:port} for {@code bootstrap.servers}
 * @param schemaRegistryUrl base URL of the Confluent schema registry API; clients append {@code /subjects/...}
 * @param openSearchUrl     base URL of the OpenSearch REST API
 * @param kafkaClientConfig what a Kafka client needs besides {@code bootstrap.servers}: empty for a plaintext
 *                          broker; for a secured one ({@link KafkaSecurity}) TLS trust and the administrator's
 *                          SCRAM login, so keep it away from components that should have less
 */
public record StackEndpoints(String kafkaBootstrap, URI schemaRegistryUrl, URI openSearchUrl,
                             Map<String, Object> kafkaClientConfig) {

  public StackEndpoints {
    kafkaClientConfig = Map.copyOf(kafkaClientConfig);
  }

  /** A plaintext Kafka: no client settings needed. */
  public StackEndpoints(String kafkaBootstrap, URI schemaRegistryUrl, URI openSearchUrl) {
    this(kafkaBootstrap, schemaRegistryUrl, openSearchUrl, Map.of());
  }

  @Override
  public String toString() {
    return "StackEndpoints[kafkaBootstrap=" + kafkaBootstrap + ", schemaRegistryUrl=" + schemaRegistryUrl
        + ", openSearchUrl=" + openSearchUrl + (kafkaClientConfig.isEmpty() ? "" : ", kafka over "
        + kafkaClientConfig.get("security.protocol")) + "]";
  }
}
