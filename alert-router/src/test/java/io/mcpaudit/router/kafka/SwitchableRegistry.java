package io.mcpaudit.router.kafka;

import io.mcpaudit.schema.registry.RegisteredSchema;
import io.mcpaudit.schema.registry.RegistryUnreachableException;
import io.mcpaudit.schema.registry.SchemaRegistry;
import java.net.ConnectException;
import java.net.URI;
import org.apache.avro.Schema;

/** A registry (in memory or real) that answers "connection refused" while {@link #away} is set. */
final class SwitchableRegistry implements SchemaRegistry {
  private final SchemaRegistry registry;
  volatile boolean away;

  SwitchableRegistry(SchemaRegistry registry) {
    this.registry = registry;
  }

  private void check() {
    if (away) {
      throw new RegistryUnreachableException(URI.create("http://127.0.0.1:1/apis/ccompat/v7"),
          new ConnectException("Connection refused"));
    }
  }

  @Override
  public int register(String subject, Schema schema) {
    check();
    return registry.register(subject, schema);
  }

  @Override
  public int lookupId(String subject, Schema schema) {
    check();
    return registry.lookupId(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    check();
    return registry.schemaById(id);
  }

  @Override
  public RegisteredSchema latest(String subject) {
    check();
    return registry.latest(subject);
  }

  @Override
  public String location() {
    return registry.location();
  }
}
