package io.mcpaudit.schema.registry;

import org.apache.avro.Schema;

/**
 * What the serde needs from a schema registry. {@link SchemaRegistryClient} talks to a real
 * Confluent-API registry; {@link InMemorySchemaRegistry} serves offline replays
 * ({@code mcp-audit detect}) and unit tests, where no registry runs.
 */
public interface SchemaRegistry {
  /** Registers the schema under the subject (idempotent) and returns its id. */
  int register(String subject, Schema schema);

  /** The id of a schema already registered under the subject. */
  int lookupId(String subject, Schema schema);

  /** The schema with this id; {@link SchemaNotFoundException} if unknown. */
  Schema schemaById(int id);

  /** The latest version registered under the subject. */
  RegisteredSchema latest(String subject);

  /** Where this registry is, for error messages (a URL, or "in-memory"). */
  String location();
}
