package io.mcpaudit.schema.serde;

import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.UnresolvedUnionException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serializer for Avro records in the Confluent wire format. The subject is
 * {@code <topic>-value} (or {@code -key}), Confluent's TopicNameStrategy.
 */
public final class AvroSerializer<T extends IndexedRecord> implements Serializer<T> {
  private SchemaRegistry registry;
  private AvroSerdeConfig serdeConfig;
  private boolean isKey;

  /** For Kafka's reflective construction; {@link #configure} supplies the registry. */
  public AvroSerializer() {}

  public AvroSerializer(SchemaRegistry registry, AvroSerdeConfig serdeConfig, boolean isKey) {
    this.registry = registry;
    this.serdeConfig = serdeConfig;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.registry = new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs));
    this.serdeConfig = AvroSerdeConfig.fromProperties(configs);
    this.isKey = isKey;
  }

  @Override
  public byte[] serialize(String topic, T record) {
    if (record == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroSerializer used before configure(): set " + SchemaRegistryConfig.URL);
    }
    Schema schema = record.getSchema();
    String subject = Subjects.forTopic(topic, isKey);
    int id;
    try {
      id = serdeConfig.useLatestVersion() ? registry.latest(subject).id()
          : serdeConfig.autoRegisterSchemas() ? registry.register(subject, schema)
          : registry.lookupId(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("cannot serialize " + schema.getFullName() + " for topic '" + topic + "': "
          + e.getMessage(), e);
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(256);
      out.write(WireFormat.MAGIC_BYTE);
      out.write(ByteBuffer.allocate(4).putInt(id).array());
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writerFor(record, schema).write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (UnresolvedUnionException e) {
      // Avro's own message embeds the whole union schema; name the offending value's type instead.
      Object value = e.getUnresolvedDatum();
      throw new SerializationException("cannot encode " + schema.getFullName() + " for topic '" + topic + "': a value of"
          + " type " + (value == null ? "null" : value.getClass().getName()) + " is not allowed by the schema's union", e);
    } catch (IOException | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      throw new SerializationException("cannot encode " + schema.getFullName() + " for topic '" + topic + "': "
          + (message.length() > 500 ? message.substring(0, 500) + "…" : message), e);
    }
  }

  private static DatumWriter<IndexedRecord> writerFor(IndexedRecord record, Schema schema) {
    // Specific records need SpecificData so logical types (timestamps) convert from java.time.
    return record instanceof SpecificRecord
        ? new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema))
        : new GenericDatumWriter<>(schema);
  }
}
