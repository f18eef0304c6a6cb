package io.mcpaudit.router.config;

import java.util.Map;

/**
 * The router's topics and consumer group. Brokers and the schema registry are given on the
 * command line; extra Kafka client properties (security settings) go in {@code client}.
 */
public record KafkaSection(
    String groupId,
    String alertsTopic,
    String inventoryTopic,
    String stateTopic,
    String dlqTopic,
    StartFrom startFrom,
    Map<String, TextValue> client) {

  public static final String DEFAULT_GROUP = "mcp-audit-alert-router";
  public static final String DEFAULT_STATE_TOPIC = "mcp.audit.router-state.v1";

  /** Where a new consumer group starts: only new alerts (the default), or everything the topic still holds. */
  public enum StartFrom { LATEST, EARLIEST }

  /**
   * This section with {@code defaults} (the deployment's shared Kafka client properties file) under
   * its own {@code client} settings: a key set in the routing file wins.
   */
  public KafkaSection withClientDefaults(Map<String, Object> defaults) {
    Map<String, TextValue> merged = new java.util.LinkedHashMap<>();
    defaults.forEach((k, v) -> merged.put(k, TextValue.plain(String.valueOf(v))));
    merged.putAll(client);
    return new KafkaSection(groupId, alertsTopic, inventoryTopic, stateTopic, dlqTopic, startFrom, Map.copyOf(merged));
  }

  /** Client properties with secrets revealed, for handing to Kafka clients (never for logging). */
  public Map<String, Object> clientProperties() {
    Map<String, Object> props = new java.util.HashMap<>();
    client.forEach((k, v) -> props.put(k, v.value()));
    return props;
  }
}
