package io.mcpaudit.stack;

import java.net.URI;

/**
 * Where clients reach the three servers.
 *
 * @param kafkaBootstrap    {@code host:port} for {@code bootstrap.servers}
 * @param schemaRegistryUrl base URL of the Confluent schema registry API; clients append {@code /subjects/...}
 * @param openSearchUrl     base URL of the OpenSearch REST API
 */
public record StackEndpoints(String kafkaBootstrap, URI schemaRegistryUrl, URI openSearchUrl) {}
