package io.mcpaudit.schema.serde;

import io.mcpaudit.schema.registry.SchemaRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serdes for generated Avro classes in the Confluent wire format, sharing one registry client. */
public final class AvroSerde {
  private AvroSerde() {}

  public static <T extends SpecificRecord> Serde<T> forValues(SchemaRegistry registry, Class<T> type) {
    return of(registry, type, AvroSerdeConfig.defaults(), false);
  }

  public static <T extends SpecificRecord> Serde<T> of(
      SchemaRegistry registry, Class<T> type, AvroSerdeConfig config, boolean isKey) {
    return Serdes.serdeFrom(new AvroSerializer<>(registry, config, isKey), new AvroDeserializer<>(registry, type));
  }
}
