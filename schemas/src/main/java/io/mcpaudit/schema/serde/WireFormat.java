package io.mcpaudit.schema.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: magic byte 0, a 4-byte big-endian schema id, then the
 * Avro binary encoding of the record.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** Reads and checks the header; the buffer is left positioned at the Avro payload. */
  public static int readSchemaId(String topic, ByteBuffer buffer) {
    if (buffer.remaining() < HEADER_SIZE) {
      throw new SerializationException("record on topic '" + topic + "' is " + buffer.remaining()
          + " bytes, too short for the Confluent wire format (magic byte + 4-byte schema id)");
    }
    byte magic = buffer.get();
    if (magic != MAGIC_BYTE) {
      throw new UnknownMagicByteException(topic, magic);
    }
    return buffer.getInt();
  }
}
