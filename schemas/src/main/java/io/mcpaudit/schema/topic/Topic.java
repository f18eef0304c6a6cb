package io.mcpaudit.schema.topic;

import io.mcpaudit.schema.registry.SchemaRegistryClient;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serde;

/** A topic's name with how its values are (de)serialized; keys are always strings. */
public record Topic<V>(String name, Function<SchemaRegistryClient, Serde<V>> valueSerdeFactory) {
  public Serde<V> valueSerde(SchemaRegistryClient registry) {
    return valueSerdeFactory.apply(registry);
  }
}
