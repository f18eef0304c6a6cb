package io.mcpaudit.schema.topic;

import io.mcpaudit.schema.registry.SchemaRegistry;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;

/** A topic's name with how its values are (de)serialized; keys are always strings. */
public record Topic<V>(String name, Function<SchemaRegistry, Serde<V>> valueSerdeFactory) {
  public Serde<V> valueSerde(SchemaRegistry registry) {
    return valueSerdeFactory.apply(registry);
  }
}
