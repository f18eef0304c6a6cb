package io.mcpaudit.schema.serde;

import io.mcpaudit.schema.registry.SchemaNotFoundException;
import io.mcpaudit.schema.registry.SchemaRegistry;
import io.mcpaudit.schema.registry.SchemaRegistryClient;
import io.mcpaudit.schema.registry.SchemaRegistryConfig;
import io.mcpaudit.schema.registry.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka deserializer for the Confluent wire format. With a reader class it returns
 * that specific record, resolving whatever (compatible) writer schema the id names
 * into the reader's schema; without one it returns generic records in the writer schema.
 */
public final class AvroDeserializer<T> implements Deserializer<T> {
  /**
   * Avro allocates what a record's string, bytes and collection lengths claim before it reads
   * them, so ten bytes claiming a 2 GiB string would cost 2 GiB. No record on mcp-audit's topics
   * comes near these bounds (Kafka's own message limit is 1 MiB by default), so a record that
   * claims more fails as poison ({@link SerializationException}, then the DLQ) instead of running
   * the consumer out of memory. Avro reads the limits from these system properties when its
   * {@code SystemLimitException} class loads, which may already have happened in this JVM: so they
   * are set (values given on the command line win) and then re-read.
   */
  static final int MAX_STRING_OR_BYTES_LENGTH = 64 * 1024 * 1024;
  static final int MAX_COLLECTION_ITEMS = 1_000_000;

  static {
    System.getProperties().putIfAbsent(org.apache.avro.SystemLimitException.MAX_STRING_LENGTH_PROPERTY,
        Integer.toString(MAX_STRING_OR_BYTES_LENGTH));
    System.getProperties().putIfAbsent(org.apache.avro.SystemLimitException.MAX_BYTES_LENGTH_PROPERTY,
        Integer.toString(MAX_STRING_OR_BYTES_LENGTH));
    System.getProperties().putIfAbsent(org.apache.avro.SystemLimitException.MAX_COLLECTION_LENGTH_PROPERTY,
        Integer.toString(MAX_COLLECTION_ITEMS));
    rereadAvroLimits();
  }

  /** Avro has no public way to re-read its limits; its package-private reset is the one it tests with. */
  private static void rereadAvroLimits() {
    try {
      java.lang.reflect.Method reset = org.apache.avro.SystemLimitException.class.getDeclaredMethod("resetLimits");
      reset.setAccessible(true);
      reset.invoke(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError("cannot apply Avro's decoding limits: " + e);
    }
  }

  private SchemaRegistry registry;
  private Schema readerSchema;
  private final Map<Integer, DatumReader<T>> readersByWriterId = new ConcurrentHashMap<>();

  /** For Kafka's reflective construction (generic records); {@link #configure} supplies the registry. */
  public AvroDeserializer() {}

  /** Returns records of {@code readerClass} (a generated Avro class), resolving writer schemas into it. */
  public AvroDeserializer(SchemaRegistry registry, Class<T> readerClass) {
    this.registry = registry;
    this.readerSchema = SpecificData.get().getSchema(readerClass);
  }

  /** Returns generic records in each record's writer schema. */
  public static AvroDeserializer<Object> generic(SchemaRegistry registry) {
    AvroDeserializer<Object> deserializer = new AvroDeserializer<>();
    deserializer.registry = registry;
    return deserializer;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (registry == null) {
      registry = new SchemaRegistryClient(SchemaRegistryConfig.fromProperties(configs));
    }
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    if (registry == null) {
      throw new IllegalStateException("AvroDeserializer used before configure(): set " + SchemaRegistryConfig.URL);
    }
    ByteBuffer buffer = ByteBuffer.wrap(data);
    int id = WireFormat.readSchemaId(topic, buffer);
    DatumReader<T> reader = readerFor(topic, id);
    try {
      BinaryDecoder decoder = DecoderFactory.get()
          .binaryDecoder(data, buffer.position(), buffer.remaining(), null);
      T record = reader.read(null, decoder);
      if (!decoder.isEnd()) {
        throw new SerializationException("record on topic '" + topic + "' with schema id " + id + " has "
            + "trailing bytes after the Avro payload; it was not written with that schema");
      }
      return record;
    } catch (java.io.IOException | AvroRuntimeException | IndexOutOfBoundsException | ClassCastException
        | UnsupportedOperationException e) {
      // Avro reports a declared string, bytes or collection length beyond what Java can hold as
      // UnsupportedOperationException: a malformed record like any other.
      throw new SerializationException("record on topic '" + topic + "' does not decode with schema id " + id
          + ": " + e, e);
    }
  }

  private DatumReader<T> readerFor(String topic, int id) {
    DatumReader<T> cached = readersByWriterId.get(id);
    if (cached != null) {
      return cached;
    }
    Schema writer;
    try {
      writer = registry.schemaById(id);
    } catch (SchemaNotFoundException e) {
      throw new SerializationException("record on topic '" + topic + "' names schema id " + id
          + ", which the schema registry at " + registry.location() + " does not know", e);
    } catch (SchemaRegistryException e) {
      throw new SerializationException("cannot fetch schema id " + id + " for topic '" + topic + "': "
          + e.getMessage(), e);
    }
    DatumReader<T> reader;
    if (readerSchema == null) {
      reader = new GenericDatumReader<>(writer);
    } else {
      try {
        reader = new SpecificDatumReader<>(writer, readerSchema, SpecificData.getForSchema(readerSchema));
      } catch (AvroRuntimeException e) {
        throw new SerializationException("writer schema id " + id + " on topic '" + topic
            + "' cannot be read as " + readerSchema.getFullName() + ": " + e.getMessage(), e);
      }
    }
    readersByWriterId.put(id, reader);
    return reader;
  }
}
