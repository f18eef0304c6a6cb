package io.mcpaudit.schema.serde;

import org.apache.kafka.common.errors.SerializationException;

/** A record does not start with the Confluent wire format's magic byte 0: it was written by something else. */
public final class UnknownMagicByteException extends SerializationException {
  private final byte magic;

  public UnknownMagicByteException(String topic, byte magic) {
    super(String.format("record on topic '%s' starts with byte 0x%02x, not the Confluent wire format's magic byte 0x00;"
        + " it was not written by an Avro schema-registry serializer", topic, magic & 0xff));
    this.magic = magic;
  }

  public byte magic() {
    return magic;
  }
}
