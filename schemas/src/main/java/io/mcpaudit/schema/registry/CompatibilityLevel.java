package io.mcpaudit.schema.registry;

/** The Confluent compatibility levels a subject can be held to. */
public enum CompatibilityLevel {
  NONE, BACKWARD, BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE
}
